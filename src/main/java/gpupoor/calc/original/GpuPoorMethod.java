package gpupoor.calc.original;

import gpupoor.calc.Scenario;
import gpupoor.calc.SeedRounding;
import gpupoor.calc.Workload;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Ddr;
import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.Method;
import gpupoor.calc.Estimate;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;
import gpupoor.calc.Bound;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.NumberText;
import gpupoor.calc.GpuPoorSpec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The original gpu_poor calculator, reproduced exactly: every formula, constant, order of
 * operations and quirk of docs/gpu_poor-reference.md (its §5 memory, §6 speed and training
 * time). Values are returned unrounded; {@link SeedFormat} rounds them as the original displays
 * them. Inputs the original rejects are rejected with our own messages.
 */
public final class GpuPoorMethod implements Method {

    /** The one instance. */
    public static final GpuPoorMethod INSTANCE = new GpuPoorMethod();

    /** The method's id. */
    public static final String ID = "gpu-poor";

    private static final double MIB = 1024 * 1024;
    private static final double GIB = 1024 * 1024 * 1024;
    private static final double TERA = 1000000000.0 * 1000;
    private static final double CUDA_OVERHEAD_MIB = 650;

    /** The original's quantization ids, for the quants it knows. */
    private static final Map<Quant, String> ORIGINAL_IDS = new EnumMap<>(Quant.class);

    static {
        ORIGINAL_IDS.put(Quant.NONE, "no_quant");
        ORIGINAL_IDS.put(Quant.BNB_INT8, "bnb_int8");
        ORIGINAL_IDS.put(Quant.BNB_NF4, "bnb_q4");
        ORIGINAL_IDS.put(Quant.Q2_K, "ggml_Q2_K");
        ORIGINAL_IDS.put(Quant.Q3_K_L, "ggml_Q3_K_L");
        ORIGINAL_IDS.put(Quant.Q3_K_M, "ggml_Q3_K_M");
        ORIGINAL_IDS.put(Quant.Q4_0, "ggml_QK4_0");
        ORIGINAL_IDS.put(Quant.Q4_1, "ggml_QK4_1");
        ORIGINAL_IDS.put(Quant.Q4_K_M, "ggml_QK4_K_M");
        ORIGINAL_IDS.put(Quant.Q4_K_S, "ggml_QK4_K_S");
        ORIGINAL_IDS.put(Quant.Q5_0, "ggml_QK5_0");
        ORIGINAL_IDS.put(Quant.Q5_1, "ggml_QK5_1");
        ORIGINAL_IDS.put(Quant.Q5_K_M, "ggml_QK5_K_M");
        ORIGINAL_IDS.put(Quant.Q6_K, "ggml_Q6_K");
        ORIGINAL_IDS.put(Quant.Q8_0, "ggml_QK8_0");
        ORIGINAL_IDS.put(Quant.Q8_1, "ggml_QK8_1");
    }

    /** The runtimes the original knows. */
    private static final List<Framework> FRAMEWORKS = List.of(Framework.HF, Framework.VLLM, Framework.LLAMA_CPP);

    private GpuPoorMethod() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SeedRounding rounding() {
        return OriginalRounding.INSTANCE;
    }

    /** The quantizations the original knows. */
    public static List<Quant> supportedQuants() {
        return List.copyOf(ORIGINAL_IDS.keySet());
    }

    @Override
    public Estimate estimate(Scenario s) {
        check(s);
        Workload w = s.workload();
        String quantId = ORIGINAL_IDS.get(s.quant());
        GpuPoorShape shape = GpuPoorShape.of(s.model());
        TrainMethod method = w.method() == null ? TrainMethod.FULL : w.method();
        List<String> notes = new ArrayList<>();

        MemoryBreakdown memory = memory(s, shape, method, notes);
        Speed speed = null;
        TrainingTime training = null;
        Integer gpusNeeded = null;
        Hardware device = s.device();
        if (device != null) {
            GpuPoorSpec spec = device.gpuPoor();
            if (w.isTraining()) {
                training = trainingTime(s, shape, method, (GpuPoorSpec.Gpu) spec, notes);
            } else if (spec instanceof GpuPoorSpec.Gpu gpu) {
                speed = gpuSpeed(s, shape, method, gpu, notes);
            } else {
                speed = cpuSpeed(s, shape, quantId, (GpuPoorSpec.Cpu) spec, notes);
            }
            if (spec instanceof GpuPoorSpec.Gpu gpu && memory != null) {
                double needed = Math.ceil(Math.ceil(memory.totalMiB()) / (1024 * gpu.memory()));
                if (needed <= Integer.MAX_VALUE) {
                    gpusNeeded = (int) needed;
                } else {
                    notes.add("memory: GPUs needed is left out: more than " + Integer.MAX_VALUE + " " + gpu.key()
                            + " GPUs");
                }
            }
        }
        if (memory == null && speed == null && training == null) {
            throw new InvalidScenarioException(String.join("; ", notes));
        }
        if (!w.isTraining() && method == TrainMethod.QLORA) {
            notes.add(Input.METHOD.ref("qlora") + " in inference: the original applies it there too (its quirk, "
                    + "docs/gpu_poor-reference.md §11, 26): the model size is that of a 4-bit base");
        }
        return new Estimate(ID, memory, speed, training, gpusNeeded, notes, List.of(
                "the original gpu_poor calculator's formulas (docs/gpu_poor-reference.md), quirks included",
                "P = " + NumberText.plain(shape.params()) + " parameters; h=" + NumberText.plain(shape.hidden())
                        + ", L=" + NumberText.plain(shape.layers()) + ", heads=" + NumberText.plain(shape.heads())
                        + ", I=" + NumberText.plain(shape.intermediate()) + ", V=" + NumberText.plain(shape.vocab())));
    }

    /** The quantizations and combinations the original refuses for every output. */
    @Override
    public void check(Scenario s) {
        if (!ORIGINAL_IDS.containsKey(s.quant())) {
            throw new InvalidScenarioException("the gpu-poor method (the original calculator) does not know quantization '"
                    + s.quant().id() + "'; it knows: " + String.join(", ", supportedQuants().stream().map(Quant::id).toList())
                    + " (use " + Input.CALC.ref("default") + " for more)");
        }
        Workload w = s.workload();
        Quant q = s.quant();
        Hardware d = s.device();
        if (!w.isTraining() && w.method() != null && w.method() != TrainMethod.QLORA) {
            throw new InvalidScenarioException(Input.METHOD.ref(w.method()) + " applies to fine-tuning: give "
                    + Input.MODE.ref("training") + " too, or drop it for inference (the original reads only qlora "
                    + "in inference)");
        }
        if (w.generateTokens() < 1) {
            throw new InvalidScenarioException("tokens to generate must be a positive integer for the gpu-poor method "
                    + "(the original asks for 1 when training), got " + w.generateTokens());
        }
        if (w.optimizer() != Optimizer.ADAM && w.optimizer() != Optimizer.SGD) {
            throw new InvalidScenarioException("the gpu-poor method knows the optimizers adam and sgd, not '"
                    + w.optimizer().id() + "'");
        }
        if (!FRAMEWORKS.contains(s.framework())) {
            throw new InvalidScenarioException("the gpu-poor method (the original calculator) models hf, vllm and llama.cpp, not "
                    + s.framework().id() + "; use " + Input.CALC.ref("default"));
        }
        if (q.isGguf() && s.framework() != Framework.LLAMA_CPP) {
            throw new InvalidScenarioException("quantization " + q.id() + " is a GGUF type: it needs "
                    + Input.FRAMEWORK.ref("llama.cpp")
                    + (w.isTraining() ? " and cannot be trained" : "") + "; with " + s.framework().id()
                    + " use none, bnb-int8 or bnb-nf4");
        }
        if (q != Quant.NONE && s.framework() == Framework.VLLM) {
            throw new InvalidScenarioException("the gpu-poor method models vLLM with unquantized weights only "
                    + "(quantization none), got " + q.id());
        }
        if (q.isBnb() && s.framework() == Framework.LLAMA_CPP) {
            throw new InvalidScenarioException("llama.cpp does not run bitsandbytes quantizations; with llama.cpp use "
                    + "none or a gguf-* quantization");
        }
        if (w.isTraining() && w.method() == TrainMethod.QLORA && q != Quant.NONE) {
            throw new InvalidScenarioException("QLoRA already stores the base model in 4 bits: use quantization none "
                    + "with " + Input.METHOD.ref("qlora") + " (got " + q.id() + ")");
        }
        if (d != null) {
            if (d.gpuPoor() == null) {
                throw new InvalidScenarioException("the gpu-poor method (the original calculator) does not know device '"
                        + d.id() + "'; use one of its GPUs or CPUs, or " + Input.CALC.ref("default"));
            }
            boolean cpu = d.gpuPoor() instanceof GpuPoorSpec.Cpu;
            if (cpu && w.isTraining()) {
                throw new InvalidScenarioException("training on a CPU is not supported: give a " + Input.DEVICE.ref());
            }
            if (cpu) {
                GpuPoorSpec.Cpu c = (GpuPoorSpec.Cpu) d.gpuPoor();
                Ddr ddr = cpuDdr(s, c);
                boolean ok = ddr == Ddr.DDR4 ? c.ddr4() && c.ddr4Speed() > 0 : c.ddr5() && c.ddr5Speed() > 0;
                if (!ok) {
                    throw new InvalidScenarioException("CPU " + c.key() + " does not support " + ddr + "; it supports: "
                            + (c.ddr4() ? "ddr4" : "") + (c.ddr4() && c.ddr5() ? ", " : "") + (c.ddr5() ? "ddr5" : ""));
                }
            }
        }
    }

    /** Prompt + generated tokens, as a double so that huge inputs do not overflow {@code int}. */
    private static double totalTokens(Workload w) {
        return (double) w.promptTokens() + w.generateTokens();
    }

    /** The DDR generation used on a CPU: the one asked for, else DDR5 where supported, else DDR4. */
    private static Ddr cpuDdr(Scenario s, GpuPoorSpec.Cpu c) {
        if (s.ddr() != null) {
            return s.ddr();
        }
        return c.ddr5() && c.ddr5Speed() > 0 ? Ddr.DDR5 : Ddr.DDR4;
    }

    // ---------------------------------------------------------------- memory (§5)

    private static MemoryBreakdown memory(Scenario s, GpuPoorShape shape, TrainMethod method, List<String> notes) {
        ModelSpec model = s.model();
        Workload w = s.workload();
        if ((model.source() == ModelSpec.Source.GPU_POOR_TABLE || model.source() == ModelSpec.Source.CATALOG)
                && (model.id().contains("GGML") || model.id().contains("GGUF"))) {
            notes.add("memory: the original does not size GGML/GGUF repositories by name; give the base model's id "
                    + "with " + Input.FRAMEWORK.ref("llama.cpp") + " and a gguf quantization");
            return null;
        }
        if (!w.isTraining() && s.framework() == Framework.LLAMA_CPP && s.quant() == Quant.NONE) {
            notes.add("memory: the original's memory calculator needs a gguf quantization with llama.cpp "
                    + "(for unquantized weights pick " + Input.FRAMEWORK.ref("hf") + " or vllm)");
            return null;
        }
        double t = totalTokens(w);
        double b = w.batch();
        double h = shape.hidden();
        double l = shape.layers();
        double overhead = CUDA_OVERHEAD_MIB;
        double modelMiB = modelSizeMiB(shape.params(), s.quant(), method);
        if (!w.isTraining()) {
            double kv;
            if (s.framework() == Framework.LLAMA_CPP) {
                modelMiB = ggmlSizeMiB(shape, s.quant());
                kv = b * ((1 * t * 2 * 2 * h * l) / MIB);
                overhead = overhead + 0.1 * t;
            } else {
                kv = b * ((2 * t * 2 * 2 * h * l) / MIB);
            }
            double act = b * ((t * h * 5 * 2 + t * t * shape.heads() * 2) / MIB);
            double total = kv + modelMiB + overhead + act;
            return new MemoryBreakdown(total, kv, modelMiB, act, 0, overhead);
        }
        double act = trainingActivationBytes(shape, t, b) / MIB;
        double gradOpt = gradOptimizerBytes(shape, method, w.optimizer(), s.quant(), t, b);
        if (w.gradientCheckpointing()) {
            act = act * 0.15;
        }
        gradOpt = gradOpt / MIB;
        double total = modelMiB + gradOpt + act;
        total = total + overhead;
        return new MemoryBreakdown(total, 0, modelMiB, act, gradOpt, overhead);
    }

    /** §5.1: fp16 size, bitsandbytes divisors and their 6% extra, and the QLoRA formula (applied in inference too). */
    private static double modelSizeMiB(double params, Quant quant, TrainMethod method) {
        double extra = 0;
        double size = (params * 2) / MIB;
        if (quant == Quant.BNB_INT8 || quant == Quant.BNB_NF4 || method == TrainMethod.QLORA) {
            extra = 0.06 * size;
        }
        if (quant == Quant.BNB_INT8) {
            size = size / 2;
        }
        if (quant == Quant.BNB_NF4) {
            size = size / 4;
        }
        if (method == TrainMethod.QLORA) {
            size = size / 4 - (params * 2) / (64 * MIB);
        }
        return size + extra;
    }

    /** §5.2: GGML file size in MiB from bytes per 32- or 64-weight group. */
    private static double ggmlSizeMiB(GpuPoorShape shape, Quant quant) {
        double v = shape.vocab();
        double h = shape.hidden();
        double i = shape.intermediate();
        double l = shape.layers();
        double total = v * h * 2 + l * 4 * h * h + l * 3 * i * h;
        double vAndDown = l * h * h + l * h * i;
        double q2kOther = total - (h * h * l * 2 + 2 * v * h);
        double per32 = switch (quant) {
            case Q4_0 -> 18;
            case Q4_1 -> 20;
            case Q5_0 -> 22;
            case Q5_1 -> 24;
            case Q8_0 -> 34;
            case Q8_1 -> 40;
            default -> 0;
        };
        if (per32 > 0) {
            return (per32 * total) / (32 * MIB);
        }
        if (quant == Quant.Q6_K) {
            return (54.0 * total) / (64 * MIB);
        }
        double[] hiLo = switch (quant) {
            case Q3_K_L -> new double[] {38.0, 26.0};
            case Q3_K_M -> new double[] {46.0, 26.0};
            case Q4_K_S -> new double[] {46.0, 38.0};
            case Q4_K_M -> new double[] {54.0, 38.0};
            case Q5_K_M -> new double[] {54.0, 46.0};
            case Q2_K -> new double[] {26.0, 22.0};
            default -> null;
        };
        if (hiLo == null) {
            return 0;
        }
        if (quant == Quant.Q2_K) {
            return ((total - q2kOther) * hiLo[1] + q2kOther * hiLo[0]) / (64 * MIB);
        }
        return ((total - vAndDown) * hiLo[1] + vAndDown * hiLo[0]) / (64 * MIB);
    }

    /** §5.4: training activations in bytes, eager attention with an fp32 softmax copy, every layer. */
    private static double trainingActivationBytes(GpuPoorShape shape, double len, double batch) {
        double heads = shape.heads();
        double h = shape.hidden();
        double i = shape.intermediate();
        double fb = 2;
        double attn = len * h * 3 * fb + len * h * 2 * fb + len * len * heads * fb + len * len * heads * 4
                + len * len * heads * fb + len * h * fb + len * h * fb + len * h * fb;
        double ffn = h * len * fb + h * len * fb + fb * 5 * len * i + i * len * fb;
        double norm = len * 4 * 2 + len * h * fb * 6;
        double perLayer = attn + ffn + norm;
        double total = perLayer * shape.layers();
        return total * batch;
    }

    /** §5.5: gradient and optimizer bytes by method, optimizer and quantization. */
    private static double gradOptimizerBytes(GpuPoorShape shape, TrainMethod method, Optimizer opt, Quant quant,
                                             double len, double batch) {
        double l = shape.layers();
        double h = shape.hidden();
        double p = shape.params();
        boolean adam = opt == Optimizer.ADAM;
        if (method == TrainMethod.QLORA) {
            return l * 8 * h * 0.5 * 4 * (adam ? 3 : 1) + quantExtraBytes(shape, "qlora", len) * batch;
        }
        if (method == TrainMethod.FULL) {
            return switch (quant) {
                case NONE -> adam ? p * 3 * 2.0 : p * 1 * 2.0;
                case BNB_INT8 -> (adam ? p * 3 * 1 : p * 1 * 1) + quantExtraBytes(shape, "bnb_int8", len) * batch;
                case BNB_NF4 -> (adam ? p * 3 * 0.5 : p * 1 * 0.5) + quantExtraBytes(shape, "bnb_q4", len) * batch;
                default -> throw new InvalidScenarioException("cannot train with quantization " + quant.id());
            };
        }
        return switch (quant) {
            case NONE -> adam ? l * 8 * h * 2 * 4 * 3 * 2 : l * 8 * h * 2 * 4 * 2;
            case BNB_INT8 -> (adam ? l * 8 * h * 2 * 4 * 3 : l * 8 * h * 2 * 4 * 1)
                    + quantExtraBytes(shape, "bnb_int8", len) * batch;
            case BNB_NF4 -> (adam ? l * 8 * h * 2 * 4 * 3 : l * 8 * h * 2 * 4 * 1)
                    + quantExtraBytes(shape, "bnb_q4", len) * batch;
            default -> throw new InvalidScenarioException("cannot train with quantization " + quant.id());
        };
    }

    /** §5.6: the empirical bitsandbytes/QLoRA training overhead, scaling with sqrt(T/50). */
    private static double quantExtraBytes(GpuPoorShape shape, String kind, double len) {
        double common = (10 * shape.hidden() + 5 * shape.hidden() + 4 * shape.intermediate()
                + 2 * shape.intermediate()) * shape.layers();
        double baseLen = 50;
        double ratio = len / 50;
        double sqrt = ratio > 1.0 ? Math.sqrt(ratio) : 1.0;
        return switch (kind) {
            case "bnb_int8" -> 0.75 * common * baseLen * sqrt * 1.25;
            case "bnb_q4" -> 1.0 * common * baseLen * sqrt * 1.0;
            default -> 0.75 * common * baseLen * sqrt * 1.0;
        };
    }

    // ---------------------------------------------------------------- speed (§6)

    /** Weight "transfer units" W (fp16-equivalent parameters) for GPU and CPU decode. */
    private static double transferUnits(GpuPoorShape shape, Quant quant) {
        if (quant.isGguf()) {
            return (ggmlSizeMiB(shape, quant) * 1024 * 1024) / 2.0;
        }
        double p = shape.formulaParams();
        return switch (quant) {
            case BNB_INT8 -> p / 2.0;
            case BNB_NF4 -> p / 4.0;
            default -> p;
        };
    }

    private static Speed gpuSpeed(Scenario s, GpuPoorShape shape, TrainMethod method, GpuPoorSpec.Gpu gpu,
                                  List<String> notes) {
        if (!speedAvailable(s, notes)) {
            return null;
        }
        Workload w = s.workload();
        Quant q = s.quant();
        double tp = w.promptTokens();
        double len = totalTokens(w);
        double b = w.batch();
        double l = shape.layers();
        double h = shape.hidden();
        double extraFactor = 1.0;
        if (s.framework() == Framework.HF) {
            extraFactor = 2.0;
        }
        if (s.framework() == Framework.LLAMA_CPP) {
            extraFactor = q == Quant.Q2_K ? 2.0 : 1.5;
        }
        if (s.framework() == Framework.HF && method == TrainMethod.QLORA) {
            notes.add("speed: a QLoRA-trained model is served as 4-bit bitsandbytes weights: choose "
                    + Input.QUANT.ref("bnb-nf4") + " instead of " + Input.METHOD.ref("qlora"));
            return null;
        }
        double bnbCost = 1.0;
        if (s.framework() == Framework.HF && q == Quant.BNB_INT8) {
            notes.add("bitsandbytes LLM.int8 is not optimized for speed: it is slower than float16");
            bnbCost = 4.5;
        }
        if (s.framework() == Framework.HF && q == Quant.BNB_NF4) {
            notes.add("bitsandbytes 4-bit is claimed 2-4x faster, which the original's author could not reproduce");
            bnbCost = 3.0;
        }
        double wt = transferUnits(shape, q);
        double prompt = 2 * tp * wt + 2 * l * h * h * 2 * tp;
        prompt = b * prompt;
        double promptSec = prompt / (TERA * gpu.compute() * 0.85);
        double promptTime = promptSec * 1.0 * 1.8 + ((2 * wt) / MIB) * (0.008 / 100);
        double kvBytes = 2 * 2 * l * h * len;
        double memSec = ((2 * wt * extraFactor + kvBytes * extraFactor) / GIB) / (1.0 * gpu.bandwidth());
        double memMs = memSec * 1000;
        double flops = 2 * wt + len * h * 2 * l * 2 * 2;
        flops = b * flops;
        double cmpMs = (flops * 1000) / (TERA * gpu.compute() * 0.85);
        Bound bound = boundOf(memMs, cmpMs);
        double t = bound == Bound.MEMORY ? memMs : cmpMs;
        if (s.deviceCount() > 1) {
            t = (t * 1.25) / s.deviceCount();
        }
        t = t * bnbCost;
        promptTime = promptTime * bnbCost;
        return new Speed(1000 / t, t, promptTime, bound);
    }

    /** The original's bound: memory when reading takes strictly longer than computing, else compute. */
    private static Bound boundOf(double memMs, double cmpMs) {
        return memMs > cmpMs ? Bound.MEMORY : Bound.COMPUTE;
    }

    private static Speed cpuSpeed(Scenario s, GpuPoorShape shape, String quantId, GpuPoorSpec.Cpu cpu,
                                  List<String> notes) {
        if (!speedAvailable(s, notes)) {
            return null;
        }
        if (s.framework() != Framework.LLAMA_CPP) {
            notes.add("speed: CPU inference is modelled for llama.cpp (GGML/GGUF) only: use " + Input.FRAMEWORK.ref("llama.cpp"));
            return null;
        }
        Workload w = s.workload();
        double speedMts = cpuDdr(s, cpu) == Ddr.DDR4 ? cpu.ddr4Speed() : cpu.ddr5Speed();
        double busValue = switch (cpu.bus()) {
            case "Dual" -> 2.0;
            case "Quad" -> 4.0;
            case "Hexa" -> 6.0;
            case "Octa" -> 8.0;
            default -> throw new InvalidScenarioException("unknown memory bus '" + cpu.bus() + "' for CPU " + cpu.key());
        };
        double bandwidth = (busValue * 8.0 * speedMts) / 1024;
        double compute = cpu.flops() * 0.5;
        double l = shape.layers();
        double h = shape.hidden();
        double wt = transferUnits(shape, s.quant());
        double tp = w.promptTokens();
        double len = totalTokens(w);
        double b = w.batch();
        double prompt = 2 * tp * wt + 2 * l * h * h * 2 * tp;
        prompt = b * prompt;
        double promptSec = prompt / (TERA * (compute / 1000.0));
        double promptTime = promptSec * cpuFloatRatio(quantId) + ((2 * wt) / MIB) * (0.008 / 1000);
        double kvBytes = 2 * 2 * l * h * len;
        double memSec = (((2 * wt + kvBytes) / GIB) / (1.0 * bandwidth)) * 1.6;
        double memMs = memSec * 1000;
        double flops = 2 * wt + 2 * len * h * 2 * l * 2 * 2;
        flops = b * flops;
        double cmpMs = (flops * 1000) / (TERA * (compute / 1000.0));
        cmpMs = cmpMs * 1.6;
        Bound bound = boundOf(memMs, cmpMs);
        double t = bound == Bound.MEMORY ? memMs : cmpMs;
        return new Speed(1000 / t, t, promptTime, bound);
    }

    /** k/16 for the first k in 2,3,4,5,6,8,16 whose digits occur in the original's quant id, else 1. */
    private static double cpuFloatRatio(String quantId) {
        for (int k : new int[] {2, 3, 4, 5, 6, 8, 16}) {
            if (quantId.contains(Integer.toString(k))) {
                return k / 16.0;
            }
        }
        return 1.0;
    }

    /** The speed paths the original refuses whatever the device. */
    private static boolean speedAvailable(Scenario s, List<String> notes) {
        if (s.workload().method() == TrainMethod.QLORA && s.quant() != Quant.NONE) {
            notes.add("speed: the original gives no speed for " + Input.METHOD.ref("qlora") + " with a quantization ("
                    + s.quant().id() + "); a QLoRA-trained model is served as 4-bit weights: use " + Input.QUANT.ref("bnb-nf4")
                    + " without " + Input.METHOD.ref());
            return false;
        }
        if (s.framework() == Framework.VLLM) {
            notes.add("speed: the original does not estimate vLLM speed (its rule of thumb: 2-3x faster than HF when "
                    + "serving at the GPU's capacity); use " + Input.CALC.ref("default"));
            return false;
        }
        return modelKnownForSpeed(s, notes);
    }

    private static boolean modelKnownForSpeed(Scenario s, List<String> notes) {
        if (s.model().isSizeOnly()) {
            notes.add("speed: the original computes speed only for models with a config, not from a size alone; "
                    + "give " + Input.MODEL.ref("ID") + " or a config.json");
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- training time (§6.3)

    private static TrainingTime trainingTime(Scenario s, GpuPoorShape shape, TrainMethod method, GpuPoorSpec.Gpu gpu,
                                             List<String> notes) {
        if (!modelKnownForSpeed(s, notes)) {
            return null;
        }
        Workload w = s.workload();
        double bnbCost = 1.0;
        if (s.quant() == Quant.BNB_INT8) {
            notes.add("bitsandbytes LLM.int8 is not optimized for speed: it is slower than float16");
            bnbCost = 3.0;
        }
        if (s.quant() == Quant.BNB_NF4) {
            notes.add("bitsandbytes 4-bit is claimed 2-4x faster, which the original's author could not reproduce");
            bnbCost = 2.75;
        }
        double b = w.batch();
        double len = totalTokens(w);
        double wt = shape.formulaParams();
        double flops = 2 * b * len * wt + len * shape.hidden() * 2 * shape.layers() * b;
        double grad = w.optimizer() == Optimizer.ADAM ? 1.15 : 1.0;
        flops = flops * 2;
        flops = flops * grad;
        flops = flops * bnbCost;
        if (method == TrainMethod.FULL) {
            flops = flops * 3;
        }
        double ms = (flops * 1000) / (TERA * gpu.compute() * 0.85);
        if (w.gradientCheckpointing()) {
            ms = ms * 1.65;
        }
        return new TrainingTime(ms, Bound.COMPUTE);
    }
}
