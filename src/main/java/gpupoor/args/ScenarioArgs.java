package gpupoor.args;

import gpupoor.calc.CpuOffload;
import gpupoor.calc.Ddr;
import gpupoor.calc.Defaults;
import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.Interconnect;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Limits;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Mode;
import gpupoor.calc.Names;
import gpupoor.calc.NumberText;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.Quant;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.SplitMode;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.TrainingOptions;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.DeviceSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.nio.file.Path;
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
    @Option(names = "--model", paramLabel = "ID|PATH", description = "A catalog id, any Hugging Face Hub id org/name[@revision] "
            + "(read once, then from the cache; HF_TOKEN, HF_HUB_OFFLINE, HF_ENDPOINT as in huggingface_hub), a .gguf file, "
            + "hf://org/name/file.gguf, an https:// URL of a .gguf, a config.json or model directory, or a size such as 7B.")
    String model;
    @Option(names = "--size", paramLabel = "BILLIONS", description = "A model known only by its size in billions of parameters, e.g. 7 or 13B (instead of --model; 0.02 to 100,000).")
    String size;
    @Option(names = "--mode", paramLabel = "MODE", description = "inference (the default) or training.")
    String mode;
    @Option(names = "--framework", paramLabel = "FW", description = "The runtime: hf, vllm, llama.cpp, exllamav2, mlc, tensorrt-llm, sglang, mlx or ollama; for fine-tuning also unsloth, torchtune or litgpt (default: llama.cpp for gguf quantizations and CPUs, the format's runtime for exl2, mlc and mlx weights, else hf).")
    String framework;
    @Option(names = "--quant", paramLabel = "Q", description = "How the weights are stored: none, fp32, fp8, bnb-int8, bnb-nf4, gptq-int4, gptq-int8, awq-int4, a GGUF type such as gguf-Q4_K_M, EXL2 bits such as exl2-4.65, mlc-q4f16_1, or mlx-4bit.")
    String quant;
    @Option(names = "--method", paramLabel = "M", description = "The fine-tuning method: full, lora or qlora (with --mode training).")
    String method;
    @Option(names = "--optimizer", paramLabel = "OPT", description = "The fine-tuning optimizer: adam, adamw, adam-8bit, paged-adamw, paged-adam-8bit, sgd or sgd-momentum (default: the training runtime's: adam for hf).")
    String optimizer;
    @Option(names = "--grad-checkpointing", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Recompute activations in the backward pass (default: the training runtime's: off for hf, on for torchtune and unsloth).")
    String gradCheckpointing;
    @Option(names = "--lora-rank", paramLabel = "R", description = "The LoRA rank, 1 to 65,536 (default: the training runtime's, 8 but for unsloth 16; the gpu-poor method always uses 8).")
    String loraRank;
    @Option(names = "--prompt", paramLabel = "N", description = "Prompt tokens; in training, the sequence length: 1 to 2,147,483,647 (default 512).")
    String prompt;
    @Option(names = "--gen", paramLabel = "N", description = "Tokens to generate: 0 to 2,147,483,647 (default 512; 1 in training).")
    String gen;
    @Option(names = "--context", paramLabel = "N", description = "Tokens per sequence, prompt + generated (instead of --prompt): the generation stays as --gen but at most half, the prompt takes the rest.")
    String context;
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
    @Option(names = "--lora-targets", paramLabel = "M", description = "LoRA target modules: all, or a list of q,k,v,o,gate,up,down (default: the training runtime's: q,v for hf).")
    String loraTargets;
    @Option(names = "--precision", paramLabel = "P", description = "Fine-tuning precision: mixed (bf16 compute, fp32 master weights, states and LoRA adapters: hf's default), bf16 (everything bf16: torchtune's and litgpt's) or fp32.")
    String precision;
    @Option(names = "--host-bandwidth", paramLabel = "GBS", description = "Host memory bandwidth in GB/s for llama.cpp layers left on the CPU, at most 100,000 (default: a dual-channel desktop).")
    String hostBandwidth;
    // inference runtimes' serving and multi-device knobs (calc.ServingOptions)
    @Option(names = "--interconnect", paramLabel = "LINK", description = "The link between GPUs: pcie or nvlink (default: nvlink on SXM boards, else pcie).")
    String interconnect;
    @Option(names = "--split-mode", paramLabel = "MODE", description = "llama.cpp's split over several GPUs: layer (the default), row or tensor.")
    String splitMode;
    @Option(names = "--max-model-len", paramLabel = "N", description = "vLLM's max_model_len (the KV pool must hold one sequence of it), llama.cpp's context -c, Ollama's num_ctx.")
    String maxModelLen;
    @Option(names = "--max-num-seqs", paramLabel = "N", description = "vLLM's max_num_seqs: sequences running at once (default 256; 1024 on GPUs of 70 GiB or more).")
    String maxNumSeqs;
    @Option(names = "--max-num-batched-tokens", paramLabel = "N", description = "vLLM's max_num_batched_tokens: tokens per step, the size of its profiling pass.")
    String maxNumBatchedTokens;
    @Option(names = "--enforce-eager", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "vLLM without CUDA graphs.")
    String enforceEager;
    @Option(names = "--max-lora-rank", paramLabel = "R", description = "vLLM with LoRA adapters enabled up to this rank (buffers reserved at start-up).")
    String maxLoraRank;
    @Option(names = "--threads", paramLabel = "N", description = "llama.cpp's CPU threads -t (default: the physical cores).")
    String threads;
    @Option(names = "--batch-size", paramLabel = "N", description = "llama.cpp's logical batch -b (default 2048).")
    String batchSize;
    @Option(names = "--runtime-version", paramLabel = "TEXT", description = "The runtime release described, e.g. b2795 (llama.cpp), 0.8.5 or v0 (vLLM); default: the current release.")
    String runtimeVersion;
    @Option(names = "--no-mmap", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "llama.cpp reads the weights into allocated host memory instead of mapping the file.")
    String noMmap;
    @Option(names = "--gptq-kernel", paramLabel = "K", description = "transformers' GPTQ kernel: exllama (the default) or cuda-old.")
    String gptqKernel;
    @Option(names = "--bnb-4bit-type", paramLabel = "T", description = "bitsandbytes' 4-bit type: nf4 (the default) or fp4.")
    String bnb4bitType;
    @Option(names = "--bnb-double-quant", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "bitsandbytes double quantization (default: on for QLoRA, else off).")
    String bnbDoubleQuant;
    @Option(names = "--unquantized-modules", paramLabel = "LIST", description = "Modules a quantized checkpoint keeps in 16 bits, e.g. model.layers.1.mlp,model.layers.30.self_attn.")
    String unquantizedModules;
    // fine-tuning techniques (TrainingOptions)
    @Option(names = "--compile", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Fine-tuning: torch.compile the model and loss (default: off).")
    String compile;
    @Option(names = "--chunked-loss", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Fine-tuning: the cross-entropy over chunks of the sequence (default: the training runtime's: off for hf, on for torchtune, litgpt and unsloth).")
    String chunkedLoss;
    @Option(names = "--optimizer-in-backward", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Fine-tuning: step each weight in the backward pass and free its gradient at once (default: off; on for torchtune full fine-tuning on one GPU).")
    String optimizerInBackward;
    @Option(names = "--activation-offloading", arity = "0..1", fallbackValue = "yes", paramLabel = "yes|no", description = "Fine-tuning: move saved activations to host memory (default: off).")
    String activationOffloading;
    @Option(names = "--cpu-offload", paramLabel = "WHAT", description = "Fine-tuning: keep in host memory the optimizer (states, master weights, gradients; stepped on the CPU), the params, all, or none (the default).")
    String cpuOffload;
    @Option(names = "--zero", paramLabel = "STAGE", description = "Fine-tuning on several GPUs: the ZeRO stage, 0 (plain data parallel) to 3 (parameters sharded too; what --parallelism sharded means).")
    String zero;
    @Option(names = "--calc", paramLabel = "METHOD", description = "The calculation method: default (ours) or gpu-poor (the original's numbers).")
    String calc;

    // ------------------------------------------------------------------ devices beyond the catalog (issue 11)
    @Option(names = {"--gpu-spec", "--device-spec"}, paramLabel = "SPEC", description = "A device from its figures, "
            + "each with its unit: memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS (optional fp8=..TFLOPS, int8=..TOPS, "
            + "fp32=..TFLOPS, memory-type=HBM3, name=.., kind=apple|cpu); with --gpu, --cpu or --device, the figures "
            + "replace that device's (--gpu rtx-4090 --gpu-spec memory=48GiB).")
    String gpuSpec;
    @Option(names = "--hardware-file", paramLabel = "FILE", description = "A CSV file in hardware.csv's columns whose "
            + "rows extend the catalog (a row with a catalog id replaces that device).")
    String hardwareFile;

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
        OPTIONS.put(Input.DEVICE_SPEC, "--gpu-spec");
        OPTIONS.put(Input.DEVICES, "--gpus");
        OPTIONS.put(Input.DDR, "--ddr");
        OPTIONS.put(Input.KV_CACHE, "--kv-cache");
        OPTIONS.put(Input.FLASH_ATTENTION, "--flash-attention");
        OPTIONS.put(Input.GPU_MEMORY_UTILIZATION, "--gpu-memory-utilization");
        OPTIONS.put(Input.UBATCH, "--ubatch");
        OPTIONS.put(Input.GPU_LAYERS, "--gpu-layers");
        OPTIONS.put(Input.PARALLELISM, "--parallelism");
        OPTIONS.put(Input.HOST_BANDWIDTH, "--host-bandwidth");
        OPTIONS.put(Input.INTERCONNECT, "--interconnect");
        OPTIONS.put(Input.SPLIT_MODE, "--split-mode");
        OPTIONS.put(Input.MAX_MODEL_LEN, "--max-model-len");
        OPTIONS.put(Input.MAX_NUM_SEQS, "--max-num-seqs");
        OPTIONS.put(Input.MAX_NUM_BATCHED_TOKENS, "--max-num-batched-tokens");
        OPTIONS.put(Input.ENFORCE_EAGER, "--enforce-eager");
        OPTIONS.put(Input.MAX_LORA_RANK, "--max-lora-rank");
        OPTIONS.put(Input.THREADS, "--threads");
        OPTIONS.put(Input.LOGICAL_BATCH, "--batch-size");
        OPTIONS.put(Input.RUNTIME_VERSION, "--runtime-version");
        OPTIONS.put(Input.NO_MMAP, "--no-mmap");
        OPTIONS.put(Input.GPTQ_KERNEL, "--gptq-kernel");
        OPTIONS.put(Input.BNB_4BIT_TYPE, "--bnb-4bit-type");
        OPTIONS.put(Input.BNB_DOUBLE_QUANT, "--bnb-double-quant");
        OPTIONS.put(Input.UNQUANTIZED_MODULES, "--unquantized-modules");
        OPTIONS.put(Input.CALC, "--calc");
        // fine-tuning techniques
        OPTIONS.put(Input.COMPILE, "--compile");
        OPTIONS.put(Input.CHUNKED_LOSS, "--chunked-loss");
        OPTIONS.put(Input.OPTIMIZER_IN_BACKWARD, "--optimizer-in-backward");
        OPTIONS.put(Input.ACTIVATION_OFFLOADING, "--activation-offloading");
        OPTIONS.put(Input.CPU_OFFLOAD, "--cpu-offload");
        OPTIONS.put(Input.ZERO, "--zero");
    }

    /** Inputs written as these options: {@code --framework llama.cpp}. */
    public static final Input.Style STYLE = (input, value) -> {
        if (input == Input.EXL2_BITS) {
            return "--quant exl2-" + (value == null ? "BITS" : value);
        }
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
            "host_bandwidth", "interconnect", "split_mode", "max_model_len", "max_num_seqs", "max_num_batched_tokens",
            "enforce_eager", "max_lora_rank", "threads", "batch_size", "runtime_version", "no_mmap", "gptq_kernel",
            "bnb_4bit_type", "bnb_double_quant", "unquantized_modules", "compile", "chunked_loss", "optimizer_in_backward",
            "activation_offloading", "cpu_offload", "zero");

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
        return parse(args, false);
    }

    /**
     * Parses options as the command line does; with {@code laterWins} an option given twice takes
     * its last value (a measurement's {@code settings} applied on top of its columns), else that is an error.
     *
     * @throws InvalidScenarioException naming an unknown option, a missing value or (unless
     *                                  {@code laterWins}) an option given twice
     */
    public static ScenarioArgs parse(List<String> args, boolean laterWins) {
        ScenarioArgs direct = direct(args, laterWins);
        if (direct != null) {
            return direct;
        }
        ScenarioArgs a = new ScenarioArgs();
        CommandLine cl = new CommandLine(a);
        java.util.Set<String> names = cl.getCommandSpec().optionsMap().keySet();
        for (String arg : args) {
            String name = arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.startsWith("--") && !names.contains(name)) {
                throw new InvalidScenarioException("unknown option '" + name + "'" + Names.didYouMean(name, names));
            }
        }
        try {
            cl.setOverwrittenOptionsAllowed(laterWins).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new InvalidScenarioException(e.getMessage());
        }
        return a;
    }

    /**
     * Options written {@code --option=value} or {@code --option value} with known options (an
     * option taking an optional value in the first form, or bare before another option or at the
     * end, when it takes its fallback value), set directly as picocli would set
     * them (every option is a plain string; given twice, the later wins when {@code laterWins});
     * null for anything else, which goes through picocli's parser and its messages. Making that
     * parser reflects over this class, which would dominate a file of many rows.
     */
    private static ScenarioArgs direct(List<String> args, boolean laterWins) {
        ScenarioArgs a = new ScenarioArgs();
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int eq = arg.indexOf('=');
                Field f = BY_OPTION.get(eq < 0 ? arg : arg.substring(0, eq));
                if (f == null || !laterWins && f.get(a) != null) {
                    return null;
                }
                String value;
                String bare = BARE.get(f);
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (bare == null && i + 1 < args.size()) {
                    value = args.get(++i);
                } else if (bare != null && (i + 1 == args.size() || isOption(args.get(i + 1)))) {
                    value = bare; // a flag followed by an option (or nothing) takes no value, as picocli reads it
                } else {
                    return null;
                }
                f.set(a, value);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return a;
    }

    /** The option fields. */
    private static final List<Field> OPTION_FIELDS = Arrays.stream(ScenarioArgs.class.getDeclaredFields())
            .filter(f -> f.isAnnotationPresent(Option.class)).toList();

    /** The option fields by each of their names ({@code --model}). */
    private static final Map<String, Field> BY_OPTION = new LinkedHashMap<>();

    /** The fields of options whose value is optional ({@code --no-mmap}), with the value they take when given bare. */
    private static final Map<Field, String> BARE = new java.util.HashMap<>();

    static {
        for (Field f : OPTION_FIELDS) {
            Option o = f.getAnnotation(Option.class);
            for (String name : o.names()) {
                BY_OPTION.put(name, f);
            }
            if (o.arity().equals("0..1")) {
                BARE.put(f, o.fallbackValue());
            } else if (!o.arity().isEmpty()) {
                throw new IllegalStateException("option " + o.names()[0] + ": arity " + o.arity() + " is not read by direct()");
            }
        }
    }

    /** Whether a word is a known option, bare or {@code --option=value}. */
    private static boolean isOption(String word) {
        int eq = word.indexOf('=');
        return BY_OPTION.containsKey(eq < 0 ? word : word.substring(0, eq));
    }

    /**
     * Splits a line of options into words as a POSIX shell does, without expanding anything:
     * blanks separate words, single quotes keep everything literally, double quotes keep blanks
     * (in them a backslash escapes a double quote or a backslash), a backslash outside quotes
     * escapes the next character. Example: {@code --lora-targets "q, v" --optimizer adamw} gives four words.
     *
     * @throws InvalidScenarioException for an unclosed quote or a trailing backslash
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        String text = line == null ? "" : line;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (ch == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new InvalidScenarioException("unclosed single quote in '" + text + "'");
                }
                w.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (ch == '"') {
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char c = text.charAt(i);
                    if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        c = text.charAt(++i);
                    }
                    w.append(c);
                    i++;
                }
                if (!closed) {
                    throw new InvalidScenarioException("unclosed double quote in '" + text + "'");
                }
                inWord = true;
            } else if (ch == '\\') {
                if (i + 1 >= text.length()) {
                    throw new InvalidScenarioException("trailing backslash in '" + text + "'");
                }
                w.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                w.append(ch);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
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
            case EXL2_BITS -> "quant";
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
        Catalog names = catalog(catalog);
        String deviceRef = given(gpu) ? gpu : given(cpu) ? cpu : device;
        Hardware.Kind kind = given(gpu) ? Hardware.Kind.GPU : given(cpu) ? Hardware.Kind.CPU : null;
        Hardware base = given(deviceRef) ? names.hardware(deviceRef, kind) : null;
        if (base != null && given(gpu) && base.isCpu()) {
            throw new InvalidScenarioException("--gpu " + gpu.trim() + " is a CPU (" + base.id() + "): give --cpu "
                    + gpu.trim() + " (or --device)");
        }
        if (base != null && given(cpu) && !base.isCpu()) {
            throw new InvalidScenarioException("--cpu " + cpu.trim() + " is " + (base.isGpu() ? "a GPU" : "an Apple chip")
                    + " (" + base.id() + "): give --gpu " + cpu.trim() + " (or --device)");
        }
        if (given(gpuSpec)) {
            b.device(DeviceSpec.parse(gpuSpec, kind == null ? Hardware.Kind.GPU : kind, base));
        } else if (base != null) {
            b.device(base);
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
        double exl2Bits = given(quant) ? Quant.exl2Bits(quant) : 0;
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
        if (given(context)) {
            if (given(prompt)) {
                throw new InvalidScenarioException("give either --context " + context.trim() + " or "
                        + Input.PROMPT.ref(prompt.trim()) + ", not both");
            }
            int c = contextTokens(context);
            int g = Math.min(given(gen) ? integer(Input.GENERATE, gen)
                    : b.mode() == Mode.TRAINING ? Defaults.GENERATE_TRAINING : Defaults.GENERATE, c / 2);
            b.generate(g).prompt(c - g);
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
        Options o = options();
        if (exl2Bits > 0) {
            o = o.withServing(o.serving().withExl2Bits(exl2Bits));
        }
        return b.options(o);
    }

    /**
     * The catalog names are looked up in: {@code catalog} with the devices of {@code --hardware-file}.
     *
     * @throws InvalidScenarioException naming the file, row and column of a bad cell
     */
    public Catalog catalog(Catalog catalog) {
        return given(hardwareFile) ? catalog.withHardware(Path.of(hardwareFile.trim())) : catalog;
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
        return o.withServing(serving()).withTraining(trainingOptions());
    }

    /** The serving and multi-device knobs given. */
    private ServingOptions serving() {
        ServingOptions v = ServingOptions.NONE;
        if (given(interconnect)) {
            v = v.withInterconnect(Interconnect.parse(interconnect));
        }
        if (given(splitMode)) {
            v = v.withSplitMode(SplitMode.parse(splitMode));
        }
        if (given(maxModelLen)) {
            v = v.withMaxModelLen(integer(Input.MAX_MODEL_LEN, maxModelLen));
        }
        if (given(maxNumSeqs)) {
            v = v.withMaxNumSeqs(integer(Input.MAX_NUM_SEQS, maxNumSeqs));
        }
        if (given(maxNumBatchedTokens)) {
            v = v.withMaxNumBatchedTokens(integer(Input.MAX_NUM_BATCHED_TOKENS, maxNumBatchedTokens));
        }
        if (given(enforceEager)) {
            v = v.withEnforceEager(bool(Input.ENFORCE_EAGER, enforceEager));
        }
        if (given(maxLoraRank)) {
            v = v.withMaxLoraRank(integer(Input.MAX_LORA_RANK, maxLoraRank));
        }
        if (given(threads)) {
            v = v.withThreads(integer(Input.THREADS, threads));
        }
        if (given(batchSize)) {
            v = v.withLogicalBatch(integer(Input.LOGICAL_BATCH, batchSize));
        }
        if (given(runtimeVersion)) {
            v = v.withRuntimeVersion(new RuntimeVersion(runtimeVersion));
        }
        if (given(noMmap)) {
            v = v.withNoMmap(bool(Input.NO_MMAP, noMmap));
        }
        if (given(gptqKernel)) {
            v = v.withGptqKernel(gptqKernel.trim().toLowerCase(Locale.ROOT));
        }
        if (given(bnb4bitType)) {
            v = v.withBnb4bitType(bnb4bitType.trim().toLowerCase(Locale.ROOT));
        }
        if (given(bnbDoubleQuant)) {
            v = v.withBnbDoubleQuant(bool(Input.BNB_DOUBLE_QUANT, bnbDoubleQuant));
        }
        if (given(unquantizedModules)) {
            v = v.withUnquantizedModules(unquantizedModules.trim());
        }
        return v;
    }

    /** The fine-tuning techniques given. */
    private TrainingOptions trainingOptions() {
        TrainingOptions t = TrainingOptions.NONE;
        if (given(compile)) {
            t = t.withCompile(bool(Input.COMPILE, compile));
        }
        if (given(chunkedLoss)) {
            t = t.withChunkedLoss(bool(Input.CHUNKED_LOSS, chunkedLoss));
        }
        if (given(optimizerInBackward)) {
            t = t.withOptimizerInBackward(bool(Input.OPTIMIZER_IN_BACKWARD, optimizerInBackward));
        }
        if (given(activationOffloading)) {
            t = t.withActivationOffloading(bool(Input.ACTIVATION_OFFLOADING, activationOffloading));
        }
        if (given(cpuOffload)) {
            t = t.withCpuOffload(CpuOffload.parse(cpuOffload));
        }
        if (given(zero)) {
            t = t.withZero(integer(Input.ZERO, zero));
        }
        return t;
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

    /** The tokens per sequence of {@code --context}: a positive integer (an int, as the prompt is). */
    private static int contextTokens(String text) {
        String t = text.trim();
        if (INTEGER.matcher(t).matches()) {
            try {
                int v = Integer.parseInt(t);
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // too many digits: reported below
            }
        }
        throw new InvalidScenarioException("--context " + t + ": tokens per sequence must be an integer from 1 to "
                + NumberText.grouped(Limits.MAX_TOKENS));
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
