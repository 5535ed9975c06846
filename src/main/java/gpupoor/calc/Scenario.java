package gpupoor.calc;

/**
 * Everything an estimate depends on: the model, how its weights are stored, the runtime, the
 * workload and the device(s). Immutable; {@code with*} methods return copies, in the java.time
 * style: {@code scenario.withPrompt(8192).withQuant(Quant.Q4_K_M)}.
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

    /** Checks that the required parts are given and the device count is positive. */
    public Scenario {
        if (model == null) {
            throw new InvalidScenarioException("a scenario needs a model (an id, a config.json path or a size)");
        }
        if (workload == null) {
            throw new InvalidScenarioException("a scenario needs a workload");
        }
        if (quant == null) {
            quant = Quant.NONE;
        }
        if (framework == null) {
            framework = Framework.HF;
        }
        if (deviceCount < 1) {
            throw new InvalidScenarioException("number of GPUs must be a positive integer, got " + deviceCount);
        }
        if (options == null) {
            options = Options.DEFAULTS;
        }
    }

    /** A scenario with fp16 weights, HF, no device and default options. */
    public static Scenario of(ModelSpec model, Workload workload) {
        return new Scenario(model, Quant.NONE, Framework.HF, workload, null, 1, null, Options.DEFAULTS);
    }

    /** A copy with another model. */
    public Scenario withModel(ModelSpec m) {
        return new Scenario(m, quant, framework, workload, device, deviceCount, ddr, options);
    }

    /** A copy with another quantization. */
    public Scenario withQuant(Quant q) {
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
}
