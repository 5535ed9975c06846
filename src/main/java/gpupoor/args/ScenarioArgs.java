package gpupoor.args;

import gpupoor.calc.Ddr;
import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Limits;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Mode;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A scenario as text options: the one text-to-builder adapter (the catalog only resolves the names it holds). The command line's {@code estimate},
 * {@code sweep} and {@code fit} mix these options in; {@code estimate --csv} turns each row's columns
 * into them ({@link #fromColumns}); a measurement's {@code settings} are parsed by the same picocli
 * parser ({@link #parse}). So a value is read and checked the same way wherever it comes from, and a
 * new option is one field here, its entry in {@link #OPTIONS} and its line in {@link #builder}.
 * Engine messages name inputs ({@link Input}); {@link #STYLE} writes them as these options.
 */
public final class ScenarioArgs {
    @Option(names = "--model", paramLabel = "ID|PATH", description = "A catalog or Hugging Face id, a config.json path, or a size such as 7B.")
    String model;
    @Option(names = "--size", paramLabel = "BILLIONS", description = "A model known only by its size in billions of parameters, e.g. 7 or 13B (instead of --model; 0.02 to 100,000).")
    String size;
    @Option(names = "--mode", paramLabel = "MODE", description = "inference (the default) or training.")
    String mode;
    @Option(names = "--framework", paramLabel = "FW", description = "The runtime: hf, vllm or llama.cpp (default: llama.cpp for gguf quantizations and CPUs, else hf).")
    String framework;
    @Option(names = "--quant", paramLabel = "Q", description = "How the weights are stored: none, fp32, fp8, bnb-int8, bnb-nf4, gptq-int4, gptq-int8, awq-int4, or a GGUF type such as gguf-Q4_K_M.")
    String quant;
    @Option(names = "--method", paramLabel = "M", description = "The fine-tuning method: full, lora or qlora (with --mode training).")
    String method;
    @Option(names = "--optimizer", paramLabel = "OPT", description = "The fine-tuning optimizer: adam (the default), adamw, adam-8bit, sgd or sgd-momentum.")
    String optimizer;
    @Option(names = "--grad-checkpointing", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Recompute activations in the backward pass.")
    String gradCheckpointing;
    @Option(names = "--lora-rank", paramLabel = "R", description = "The LoRA rank, 1 to 65,536 (default 8; the gpu-poor method always uses 8).")
    String loraRank;
    @Option(names = "--prompt", paramLabel = "N", description = "Prompt tokens; in training, the sequence length: 1 to 2,147,483,647 (default 512).")
    String prompt;
    @Option(names = "--gen", paramLabel = "N", description = "Tokens to generate: 0 to 2,147,483,647 (default 512; 1 in training).")
    String gen;
    @Option(names = "--batch", paramLabel = "N", description = "Sequences processed together: 1 to 1,048,576 (default 1).")
    String batch;
    @Option(names = "--gpu", paramLabel = "ID", description = "A GPU or Apple chip: a catalog id such as rtx-4090 or a100-sxm4-80gb, or the original's key such as A100-80GB.")
    String gpu;
    @Option(names = "--gpus", paramLabel = "N", description = "Identical GPUs used together: 1 to 65,536 (default 1).")
    String gpus;
    @Option(names = "--cpu", paramLabel = "ID", description = "A CPU: a catalog id such as ryzen-9-7950x, or the original's key such as 7950x.")
    String cpu;
    @Option(names = "--device", paramLabel = "ID", description = "A device of any kind, by catalog id or the original's key (instead of --gpu or --cpu).")
    String device;
    @Option(names = "--ddr", paramLabel = "DDR", description = "A CPU's memory: ddr4 or ddr5 (default: the fastest it supports).")
    String ddr;
    @Option(names = "--kv-cache", paramLabel = "TYPE", description = "The KV cache type: f16 (the default), fp8 with vllm, q8_0 or q4_0 with llama.cpp.")
    String kvCache;
    @Option(names = "--flash-attention", paramLabel = "ON|OFF", description = "Flash attention on or off (default: llama.cpp off, hf SDPA, vllm on).")
    String flashAttention;
    @Option(names = "--gpu-memory-utilization", paramLabel = "X", description = "vLLM's share of each GPU's memory, above 0 and at most 1 (default 0.9).")
    String gpuMemoryUtilization;
    @Option(names = "--ubatch", paramLabel = "N", description = "llama.cpp's physical batch -ub: 1 to 65,536 (default 512).")
    String ubatch;
    @Option(names = "--gpu-layers", paramLabel = "N", description = "llama.cpp layers on the GPU -ngl: all (the default), 0 (CPU only) or a count up to 100,000.")
    String gpuLayers;
    @Option(names = "--parallelism", paramLabel = "P", description = "How several GPUs share the model: tensor, layer, data or sharded (default: llama.cpp and hf layer, vllm tensor, training data).")
    String parallelism;
    @Option(names = "--lora-targets", paramLabel = "M", description = "LoRA target modules: q,v (the default), all, or a list of q,k,v,o,gate,up,down.")
    String loraTargets;
    @Option(names = "--precision", paramLabel = "P", description = "Full fine-tuning precision: mixed (the default: bf16 with fp32 master weights and states), bf16 or fp32.")
    String precision;
    @Option(names = "--host-bandwidth", paramLabel = "GBS", description = "Host memory bandwidth in GB/s for llama.cpp layers left on the CPU, at most 100,000 (default: a dual-channel desktop).")
    String hostBandwidth;
    @Option(names = "--calc", paramLabel = "METHOD", description = "The calculation method: default (ours) or gpu-poor (the original's numbers).")
    String calc;

    /** The option that sets each input (a device is set by --gpu, --cpu or --device). */
    private static final Map<Input, String> OPTIONS = new EnumMap<>(Input.class);

    static {
        OPTIONS.put(Input.MODEL, "--model");
        OPTIONS.put(Input.SIZE, "--size");
        OPTIONS.put(Input.MODE, "--mode");
        OPTIONS.put(Input.FRAMEWORK, "--framework");
        OPTIONS.put(Input.QUANT, "--quant");
        OPTIONS.put(Input.METHOD, "--method");
        OPTIONS.put(Input.OPTIMIZER, "--optimizer");
        OPTIONS.put(Input.GRAD_CHECKPOINTING, "--grad-checkpointing");
        OPTIONS.put(Input.LORA_RANK, "--lora-rank");
        OPTIONS.put(Input.LORA_TARGETS, "--lora-targets");
        OPTIONS.put(Input.PRECISION, "--precision");
        OPTIONS.put(Input.PROMPT, "--prompt");
        OPTIONS.put(Input.GENERATE, "--gen");
        OPTIONS.put(Input.BATCH, "--batch");
        OPTIONS.put(Input.DEVICE, "--gpu");
        OPTIONS.put(Input.DEVICES, "--gpus");
        OPTIONS.put(Input.DDR, "--ddr");
        OPTIONS.put(Input.KV_CACHE, "--kv-cache");
        OPTIONS.put(Input.FLASH_ATTENTION, "--flash-attention");
        OPTIONS.put(Input.GPU_MEMORY_UTILIZATION, "--gpu-memory-utilization");
        OPTIONS.put(Input.UBATCH, "--ubatch");
        OPTIONS.put(Input.GPU_LAYERS, "--gpu-layers");
        OPTIONS.put(Input.PARALLELISM, "--parallelism");
        OPTIONS.put(Input.HOST_BANDWIDTH, "--host-bandwidth");
        OPTIONS.put(Input.CALC, "--calc");
    }

    /** Inputs written as these options: {@code --framework llama.cpp}. */
    public static final Input.Style STYLE = (input, value) -> {
        String option = OPTIONS.get(input);
        return value == null ? option : option + " " + (value.isBlank() ? "\"" + value + "\"" : value);
    };

    /**
     * The CSV columns {@code estimate --csv} reads, in order, each the option of the same name
     * (dashes for underscores) but for {@code gen}, {@code grad_ckpt} and {@code device}.
     */
    public static final List<String> COLUMNS = List.of("model", "size", "mode", "framework", "quant", "method",
            "optimizer", "grad_ckpt", "prompt", "gen", "batch", "device", "ddr", "gpus");

    /** Optional columns: the runtime knobs and the LoRA rank. */
    public static final List<String> OPTIONAL_COLUMNS = List.of("lora_rank", "kv_cache", "flash_attention",
            "gpu_memory_utilization", "ubatch", "gpu_layers", "parallelism", "lora_targets", "precision",
            "host_bandwidth");

    /** A plain decimal number: what JavaScript's {@code Number(text)} reads as the same value (no "7d" or "0x1A"). */
    private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A size such as {@code 13}, {@code 13B} or {@code 1.5b}. */
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\+?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*b?\\s*");

    /**
     * Parses options as the command line does (the measurement rows' {@code settings} use this).
     *
     * @throws InvalidScenarioException naming an unknown option or a missing value
     */
    public static ScenarioArgs parse(List<String> args) {
        ScenarioArgs direct = direct(args);
        if (direct != null) {
            return direct;
        }
        CommandLine parser = PARSER.get();
        try {
            parser.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new InvalidScenarioException(e.getMessage());
        }
        ScenarioArgs parsed = parser.getCommand();
        ScenarioArgs copy = new ScenarioArgs();
        try {
            for (Field f : OPTION_FIELDS) {
                f.set(copy, f.get(parsed));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return copy;
    }

    /**
     * Options all written {@code --option=value} with known options, each once, set directly (as
     * picocli would set them: every option is a plain string); null for anything else, which goes
     * through picocli's parser.
     */
    private static ScenarioArgs direct(List<String> args) {
        ScenarioArgs a = new ScenarioArgs();
        try {
            for (String arg : args) {
                int eq = arg.indexOf('=');
                Field f = eq < 0 ? null : BY_OPTION.get(arg.substring(0, eq));
                if (f == null || f.get(a) != null) {
                    return null;
                }
                f.set(a, arg.substring(eq + 1));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return a;
    }

    /**
     * One parser per thread, reused: making a picocli parser reflects over this class, which would
     * dominate a file of many rows. picocli resets every option to its initial value on each parse;
     * the options parsed are copied into a new instance ({@link #OPTION_FIELDS}).
     */
    private static final ThreadLocal<CommandLine> PARSER = ThreadLocal.withInitial(() -> new CommandLine(new ScenarioArgs()));

    /** The option fields, for the copy. */
    private static final List<Field> OPTION_FIELDS = Arrays.stream(ScenarioArgs.class.getDeclaredFields())
            .filter(f -> f.isAnnotationPresent(Option.class)).toList();

    /** The option fields by each of their names ({@code --model}). */
    private static final Map<String, Field> BY_OPTION = new LinkedHashMap<>();

    static {
        for (Field f : OPTION_FIELDS) {
            for (String name : f.getAnnotation(Option.class).names()) {
                BY_OPTION.put(name, f);
            }
        }
    }

    /**
     * The options a CSV row's columns stand for ({@link #COLUMNS}, {@link #OPTIONAL_COLUMNS}); blank
     * cells are not given.
     */
    public static ScenarioArgs fromColumns(Map<String, String> row) {
        ScenarioArgs a = new ScenarioArgs();
        try {
            for (Map.Entry<String, Field> c : COLUMN_FIELDS.entrySet()) {
                String value = row.get(c.getKey());
                if (value != null && !value.isBlank()) {
                    c.getValue().set(a, value.trim());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return a;
    }

    /**
     * The field each column sets: the one whose option is the column's ({@link #COLUMNS}: dashes for
     * underscores, {@code grad_ckpt} for {@code --grad-checkpointing}, {@code device} for {@code --device}).
     * Cells are plain values, so they are set directly rather than through picocli's parser (which
     * would dominate a file of many rows); every value is then read and checked by {@link #builder}.
     */
    private static final Map<String, Field> COLUMN_FIELDS = new LinkedHashMap<>();

    static {
        List<String> columns = new ArrayList<>(COLUMNS);
        columns.addAll(OPTIONAL_COLUMNS);
        for (String column : columns) {
            String option = column.equals("grad_ckpt") ? "--grad-checkpointing" : "--" + column.replace('_', '-');
            Field field = BY_OPTION.get(option);
            if (field == null) {
                throw new IllegalStateException("no option " + option + " for column " + column);
            }
            COLUMN_FIELDS.put(column, field);
        }
    }

    /** The columns' style: {@code framework llama.cpp} names the CSV column. */
    public static final Input.Style COLUMN_STYLE = (input, value) -> {
        String column = switch (input) {
            case GRAD_CHECKPOINTING -> "grad_ckpt";
            case DEVICE -> "device";
            case GENERATE -> "gen";
            case CALC -> "--calc";
            default -> OPTIONS.get(input).substring(2).replace('-', '_');
        };
        return value == null ? "column " + column : column + "=" + value;
    };

    /**
     * The calculation method (the default method when {@code --calc} is not given).
     *
     * @throws InvalidScenarioException for an unknown method
     */
    public Method calcMethod() {
        return calc == null ? Methods.DEFAULT : Methods.parse(calc);
    }

    /**
     * A builder holding every option given, each checked and looked up in {@code catalog}.
     *
     * @throws InvalidScenarioException naming the option that is wrong and what is accepted
     */
    public Scenario.Builder builder(Catalog catalog) {
        Scenario.Builder b = Scenario.builder();
        if (given(model) && given(size)) {
            throw new InvalidScenarioException("give either " + Input.MODEL.ref(model.trim()) + " or "
                    + Input.SIZE.ref(size.trim()) + ", not both");
        }
        if (given(model)) {
            b.model(catalog.model(model));
        } else if (given(size)) {
            var m = SIZE.matcher(size);
            if (!m.matches() || !Limits.sizeInRange(Double.parseDouble(m.group(1)))) {
                throw Limits.refuse(Input.SIZE, size.trim());
            }
            b.model(catalog.size(Double.parseDouble(m.group(1))));
        }
        int devices = (given(gpu) ? 1 : 0) + (given(cpu) ? 1 : 0) + (given(device) ? 1 : 0);
        if (devices > 1) {
            throw new InvalidScenarioException("give one of --gpu, --cpu or --device, not " + (devices == 3 ? "all three" : "two"));
        }
        if (given(cpu) && given(gpus)) {
            throw new InvalidScenarioException(Input.DEVICES.ref(gpus.trim()) + " applies to GPUs; a CPU estimate is for one socket");
        }
        String deviceRef = given(gpu) ? gpu : given(cpu) ? cpu : device;
        if (given(deviceRef)) {
            Hardware h = catalog.hardware(deviceRef);
            if (given(gpu) && h.isCpu()) {
                throw new InvalidScenarioException("--gpu " + gpu.trim() + " is a CPU (" + h.id() + "): give --cpu "
                        + gpu.trim() + " (or --device)");
            }
            if (given(cpu) && !h.isCpu()) {
                throw new InvalidScenarioException("--cpu " + cpu.trim() + " is " + (h.isGpu() ? "a GPU" : "an Apple chip")
                        + " (" + h.id() + "): give --gpu " + cpu.trim() + " (or --device)");
            }
            b.device(h);
        }
        if (given(mode)) {
            b.mode(Mode.parse(mode));
        }
        if (given(framework)) {
            b.framework(Framework.parse(framework));
        }
        if (given(quant)) {
            b.quant(Quant.parse(quant));
        }
        if (given(method)) {
            b.method(TrainMethod.parse(method));
        }
        if (given(optimizer)) {
            b.optimizer(Optimizer.parse(optimizer));
        }
        if (given(gradCheckpointing)) {
            b.gradientCheckpointing(bool(Input.GRAD_CHECKPOINTING, gradCheckpointing));
        }
        if (given(loraRank)) {
            b.loraRank(integer(Input.LORA_RANK, loraRank));
        }
        if (given(prompt)) {
            b.prompt(integer(Input.PROMPT, prompt));
        }
        if (given(gen)) {
            b.generate(integer(Input.GENERATE, gen));
        }
        if (given(batch)) {
            b.batch(integer(Input.BATCH, batch));
        }
        if (given(gpus)) {
            b.deviceCount(integer(Input.DEVICES, gpus));
        }
        if (given(ddr)) {
            b.ddr(Ddr.parse(ddr));
        }
        return b.options(options());
    }

    /** The runtime knobs given. */
    private Options options() {
        Options o = Options.NONE;
        if (given(kvCache)) {
            o = o.withKvCache(KvCacheType.parse(kvCache));
        }
        if (given(flashAttention)) {
            o = o.withFlashAttention(bool(Input.FLASH_ATTENTION, flashAttention));
        }
        if (given(gpuMemoryUtilization)) {
            o = o.withGpuMemoryUtilization(number(Input.GPU_MEMORY_UTILIZATION, gpuMemoryUtilization));
        }
        if (given(ubatch)) {
            o = o.withUbatch(integer(Input.UBATCH, ubatch));
        }
        if (given(gpuLayers)) {
            o = o.withGpuLayers(gpuLayers.trim().equalsIgnoreCase("all") ? -1 : integer(Input.GPU_LAYERS, gpuLayers));
        }
        if (given(parallelism)) {
            o = o.withParallelism(Parallelism.parse(parallelism));
        }
        if (given(loraTargets)) {
            o = o.withLoraTargets(LoraTargets.parse(loraTargets));
        }
        if (given(precision)) {
            o = o.withPrecision(Precision.parse(precision));
        }
        if (given(hostBandwidth)) {
            o = o.withHostBandwidthGBs(number(Input.HOST_BANDWIDTH, hostBandwidth));
        }
        return o;
    }

    /** Whether an option was given: an empty value ({@code --prompt ""}) is given, and refused by its parser. */
    private static boolean given(String s) {
        return s != null;
    }

    /** A whole number: digits with an optional sign (no "1e3", "7.0" or "0x10"). */
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    /**
     * An integer option's value; text that is not an integer, or one too large for an {@code int},
     * is refused in the words of its range ({@link Limits#refuse}). The range itself is the builder's check.
     */
    static int integer(Input input, String text) {
        String t = text.trim();
        if (INTEGER.matcher(t).matches()) {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                // too many digits for an int: outside every range
            }
        }
        throw Limits.refuse(input, t);
    }

    /** A real option's value (a plain decimal); the range is the builder's check. */
    static double number(Input input, String text) {
        String t = text.trim();
        if (DECIMAL.matcher(t).matches()) {
            return Double.parseDouble(t);
        }
        throw Limits.refuse(input, t);
    }

    private static boolean bool(Input input, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "on" -> true;
            case "false", "no", "n", "0", "off" -> false;
            default -> throw new InvalidScenarioException(input.ref(text.trim()) + ": " + input.words()
                    + " is on or off (yes/no, true/false)");
        };
    }
}
