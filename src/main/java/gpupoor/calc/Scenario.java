package gpupoor.calc;

/**
 * Everything an estimate depends on: the model, how its weights are stored, the runtime, the
 * workload and the device(s). Made by {@link #builder()} (which fills {@link Defaults} and picks
 * the runtime); immutable, with {@code with*} copies in the java.time style:
 * {@code scenario.withPrompt(8192).withQuant(Quant.Q4_K_M)}. Every scenario, however made, is
 * checked against the rules that hold whatever the method: the device count fits the device, a
 * DDR generation goes with a CPU, and the runtime takes the knobs given ({@link Framework#check}).
 *
 * @param model       the model
 * @param quant       weight storage
 * @param framework   runtime
 * @param workload    inference or training workload
 * @param device      the device, or null for a memory-only estimate
 * @param deviceCount identical devices used together (at least 1)
 * @param ddr         DDR generation for a CPU device (null: the fastest the CPU supports)
 * @param options     runtime knobs of the default method
 */
public record Scenario(ModelSpec model, Quant quant, Framework framework, Workload workload, Hardware device,
                       int deviceCount, Ddr ddr, Options options) {

    /** Fills the unset parts (fp16 weights, the default runtime, no knobs) and checks the universal rules. */
    public Scenario {
        if (model == null) {
            throw new InvalidScenarioException("a scenario needs a " + Input.MODEL.ref()
                    + " (an id, a config.json path or a size)");
        }
        if (workload == null) {
            throw new InvalidScenarioException("a scenario needs a workload");
        }
        if (quant == null) {
            quant = Defaults.QUANT;
        }
        if (framework == null) {
            framework = Framework.defaultFor(quant, device, workload.mode());
        }
        if (options == null) {
            options = Options.NONE;
        }
        checkDeviceCount(deviceCount);
        if (ddr != null && device != null && !device.isCpu()) {
            throw new InvalidScenarioException(Input.DDR.ref(ddr) + " applies to CPUs; device " + device.id() + " is "
                    + (device.isGpu() ? "a GPU" : "an Apple chip"));
        }
        if (deviceCount > 1 && device != null && device.isCpu()) {
            throw new InvalidScenarioException(Input.DEVICES.ref(deviceCount) + " applies to GPUs; a CPU estimate is for one socket");
        }
        if (deviceCount > 1 && device != null && device.isApple()) {
            throw new InvalidScenarioException(Input.DEVICES.ref(deviceCount)
                    + " applies to GPUs; an Apple Silicon estimate is for one machine");
        }
        framework.check(workload, options);
        if (!workload.isTraining()) {
            if (options.loraTargets() != null) {
                throw fineTuningOnly(Input.LORA_TARGETS.ref(options.text(Input.LORA_TARGETS)));
            }
            if (options.precision() != null) {
                throw fineTuningOnly(Input.PRECISION.ref(options.text(Input.PRECISION)));
            }
        } else if (workload.method() == TrainMethod.FULL && options.loraTargets() != null) {
            throw loraOnly(Input.LORA_TARGETS.ref(options.text(Input.LORA_TARGETS)));
        }
    }

    /** An input given for inference that only fine-tuning reads. */
    private static InvalidScenarioException fineTuningOnly(String ref) {
        return new InvalidScenarioException(ref + " applies to fine-tuning: give " + Input.MODE.ref("training")
                + " too, or drop it for inference");
    }

    /** An input given for full fine-tuning that only LoRA and QLoRA read. */
    private static InvalidScenarioException loraOnly(String ref) {
        return new InvalidScenarioException(ref + " applies to LoRA and QLoRA: give " + Input.METHOD.ref("lora")
                + " (or qlora), or drop it for full fine-tuning");
    }

    private static int checkDeviceCount(int n) {
        return Limits.check(Input.DEVICES, n);
    }

    /** A builder with nothing set but what {@link Defaults} fill in. */
    public static Builder builder() {
        return new Builder();
    }

    /** A scenario of {@code model} with {@code workload}, fp16 weights, the default runtime, no device. */
    public static Scenario of(ModelSpec model, Workload workload) {
        return new Scenario(model, null, null, workload, null, 1, null, null);
    }

    /** A builder holding this scenario's parts. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.quant = quant;
        b.framework = framework;
        b.device = device;
        b.deviceCount = deviceCount;
        b.ddr = ddr;
        b.options = options;
        b.mode = workload.mode();
        b.prompt = workload.promptTokens();
        b.generate = workload.generateTokens();
        b.batch = workload.batch();
        b.method = workload.method();
        if (workload.isTraining()) {
            // what only fine-tuning reads is given only for fine-tuning
            b.optimizer = workload.optimizer();
            b.gradientCheckpointing = workload.gradientCheckpointing();
            b.loraRank = workload.loraRank();
        }
        return b;
    }

    /** A copy with another model. */
    public Scenario withModel(ModelSpec m) {
        return new Scenario(m, quant, framework, workload, device, deviceCount, ddr, options);
    }

    /** A copy with another quantization. */
    public Scenario withQuant(Quant q) {
        if (q == quant) {
            return this;
        }
        return new Scenario(model, q, framework, workload, device, deviceCount, ddr, options);
    }

    /** A copy with another framework. */
    public Scenario withFramework(Framework f) {
        return new Scenario(model, quant, f, workload, device, deviceCount, ddr, options);
    }

    /** A copy with another workload. */
    public Scenario withWorkload(Workload w) {
        return new Scenario(model, quant, framework, w, device, deviceCount, ddr, options);
    }

    /** A copy on another device (null for none), keeping the device count. */
    public Scenario withDevice(Hardware d) {
        return new Scenario(model, quant, framework, workload, d, deviceCount, ddr, options);
    }

    /** A copy with another number of devices. */
    public Scenario withDeviceCount(int n) {
        if (n == deviceCount) {
            return this;
        }
        return new Scenario(model, quant, framework, workload, device, n, ddr, options);
    }

    /** A copy with another DDR generation. */
    public Scenario withDdr(Ddr d) {
        return new Scenario(model, quant, framework, workload, device, deviceCount, d, options);
    }

    /** A copy with other runtime options. */
    public Scenario withOptions(Options o) {
        return new Scenario(model, quant, framework, workload, device, deviceCount, ddr, o);
    }

    /** A copy with another prompt length. */
    public Scenario withPrompt(int tokens) {
        return withWorkload(workload.withPrompt(tokens));
    }

    /** A copy with another generation length. */
    public Scenario withGenerate(int tokens) {
        return withWorkload(workload.withGenerate(tokens));
    }

    /** A copy with another batch size. */
    public Scenario withBatch(int batch) {
        return withWorkload(workload.withBatch(batch));
    }

    /**
     * Builds a {@link Scenario} from the parts a user gives, in any order; what is not given gets
     * its {@link Defaults} value in {@link #build()}, and the runtime, unless given, is
     * {@link Framework#defaultFor} the quantization, device and mode. A number is checked when it is
     * given (its range); combinations are checked when the scenario is built. Mutable; {@link #copy()} makes
     * an independent one. Example:
     * <pre>{@code
     * Scenario s = Scenario.builder().model(spec).device(gpu).quant(Quant.Q4_K_M).prompt(4096).build();
     * }</pre>
     */
    public static final class Builder {
        private ModelSpec model;
        private Quant quant;
        private Framework framework;
        private Hardware device;
        private int deviceCount = Defaults.DEVICES;
        private Ddr ddr;
        private Options options = Options.NONE;
        private Mode mode;
        private Integer prompt;
        private Integer generate;
        private Integer batch;
        private TrainMethod method;
        private Optimizer optimizer;
        private Boolean gradientCheckpointing;
        private Integer loraRank;

        private Builder() {
        }

        /** An independent copy of this builder. */
        public Builder copy() {
            Builder b = new Builder();
            b.model = model;
            b.quant = quant;
            b.framework = framework;
            b.device = device;
            b.deviceCount = deviceCount;
            b.ddr = ddr;
            b.options = options;
            b.mode = mode;
            b.prompt = prompt;
            b.generate = generate;
            b.batch = batch;
            b.method = method;
            b.optimizer = optimizer;
            b.gradientCheckpointing = gradientCheckpointing;
            b.loraRank = loraRank;
            return b;
        }

        /** The model. */
        public Builder model(ModelSpec m) {
            this.model = m;
            return this;
        }

        /** The weights' storage (null: {@link Defaults#QUANT}). */
        public Builder quant(Quant q) {
            this.quant = q;
            return this;
        }

        /** The runtime (null: {@link Framework#defaultFor}). */
        public Builder framework(Framework f) {
            this.framework = f;
            return this;
        }

        /** The device (null: none, a memory-only estimate). */
        public Builder device(Hardware d) {
            this.device = d;
            return this;
        }

        /** Identical devices used together. */
        public Builder deviceCount(int n) {
            this.deviceCount = checkDeviceCount(n);
            return this;
        }

        /** A CPU's DDR generation (null: the fastest it supports). */
        public Builder ddr(Ddr d) {
            this.ddr = d;
            return this;
        }

        /** Inference or training (null: {@link Defaults#MODE}). */
        public Builder mode(Mode m) {
            this.mode = m;
            return this;
        }

        /** Prompt tokens; in training, the sequence length (null: {@link Defaults#PROMPT}). */
        public Builder prompt(Integer tokens) {
            this.prompt = tokens == null ? null : Workload.checkPrompt(tokens);
            return this;
        }

        /** Tokens to generate (null: {@link Defaults#GENERATE}, in training {@link Defaults#GENERATE_TRAINING}). */
        public Builder generate(Integer tokens) {
            this.generate = tokens == null ? null : Workload.checkGenerate(tokens);
            return this;
        }

        /** Sequences processed together (null: {@link Defaults#BATCH}). */
        public Builder batch(Integer n) {
            this.batch = n == null ? null : Workload.checkBatch(n);
            return this;
        }

        /** The fine-tuning method (null: none given; training then means {@link Defaults#TRAIN_METHOD}). */
        public Builder method(TrainMethod m) {
            this.method = m;
            return this;
        }

        /** The optimizer (null: the training runtime's default, {@link Framework#trainingDefaults}). */
        public Builder optimizer(Optimizer o) {
            this.optimizer = o;
            return this;
        }

        /** Gradient checkpointing on or off (fine-tuning only; null: the training runtime's default). */
        public Builder gradientCheckpointing(Boolean on) {
            this.gradientCheckpointing = on;
            return this;
        }

        /** LoRA rank (null: the training runtime's default, {@link Framework#trainingDefaults}). */
        public Builder loraRank(Integer r) {
            this.loraRank = r == null ? null : Workload.checkLoraRank(r);
            return this;
        }

        /** The runtime knobs (null: none). */
        public Builder options(Options o) {
            this.options = o == null ? Options.NONE : o;
            return this;
        }

        /** The runtime knobs as given so far. */
        public Options options() {
            return options;
        }

        /** The model given so far (null if none). */
        public ModelSpec model() {
            return model;
        }

        /** The mode given so far, else {@link Defaults#MODE}. */
        public Mode mode() {
            return mode == null ? Defaults.MODE : mode;
        }

        /** The device given so far (null if none). */
        public Hardware device() {
            return device;
        }

        /** The quantization given so far (null if none). */
        public Quant quant() {
            return quant;
        }

        /** The framework given so far (null if none: {@link #build()} picks it). */
        public Framework framework() {
            return framework;
        }

        /**
         * The scenario: defaults filled in, the runtime picked when none was given, every rule that
         * holds whatever the method checked.
         *
         * @throws InvalidScenarioException naming the input that is wrong and what is accepted
         */
        public Scenario build() {
            Mode m = mode == null ? Defaults.MODE : mode;
            boolean training = m == Mode.TRAINING;
            TrainMethod tm = method != null ? method : training ? Defaults.TRAIN_METHOD : null;
            if (!training) {
                if (optimizer != null) {
                    throw fineTuningOnly(Input.OPTIMIZER.ref(optimizer.id()));
                }
                if (loraRank != null) {
                    throw fineTuningOnly(Input.LORA_RANK.ref(loraRank));
                }
                if (gradientCheckpointing != null) {
                    throw fineTuningOnly(Input.GRAD_CHECKPOINTING.ref(gradientCheckpointing ? "yes" : "no"));
                }
            } else if (tm == TrainMethod.FULL && loraRank != null) {
                throw loraOnly(Input.LORA_RANK.ref(loraRank));
            }
            Quant q = quant != null ? quant : model != null && model.weights() != null ? model.weights().quant() : Defaults.QUANT;
            Framework f = framework != null ? framework : Framework.defaultFor(q, device, m);
            Framework.TrainingDefaults td = training && f.trains() ? f.trainingDefaults(tm, deviceCount) : null;
            Workload w = new Workload(m, prompt == null ? Defaults.PROMPT : prompt,
                    generate != null ? generate : training ? Defaults.GENERATE_TRAINING : Defaults.GENERATE,
                    batch == null ? Defaults.BATCH : batch, tm,
                    optimizer != null ? optimizer : td != null ? td.optimizer() : Defaults.OPTIMIZER,
                    gradientCheckpointing != null ? gradientCheckpointing : td != null && td.gradientCheckpointing(),
                    loraRank != null ? loraRank : td != null ? td.loraRank() : Defaults.LORA_RANK);
            return new Scenario(model, q, f, w, device, deviceCount, ddr, options);
        }
    }
}
