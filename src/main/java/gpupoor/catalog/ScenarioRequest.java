package gpupoor.catalog;

import gpupoor.calc.Ddr;
import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Mode;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A scenario as text, the way the command line and CSV files give it: every field may be blank
 * ("not given"). {@link #resolve(Catalog)} checks each value, looks the names up and fills the
 * defaults: inference, prompt 512, generate 512 (1 in training), batch 1, one device, Adam, fp16
 * weights; the framework is {@link Framework#defaultFor} (llama.cpp for a GGUF quant or a CPU or
 * Apple chip in inference, else hf).
 *
 * @param model     catalog id, original-table id or config.json path
 * @param size      size in billions (used when no model is given)
 * @param mode      inference or training
 * @param framework hf, vllm or llama.cpp
 * @param quant     quantization id
 * @param method    full, lora or qlora
 * @param optimizer adam, adamw, adam-8bit, sgd, sgd-momentum
 * @param gradCkpt  gradient checkpointing: true/false, yes/no, 1/0
 * @param prompt    prompt tokens
 * @param gen       tokens to generate
 * @param batch     batch size
 * @param device    GPU, Apple or CPU id
 * @param ddr       ddr4 or ddr5 (CPUs)
 * @param gpus      number of GPUs
 * @param loraRank  LoRA rank
 * @param knobs     runtime options of the default method (all may be blank)
 */
public record ScenarioRequest(String model, String size, String mode, String framework, String quant, String method,
                              String optimizer, String gradCkpt, String prompt, String gen, String batch,
                              String device, String ddr, String gpus, String loraRank, Knobs knobs) {

    /**
     * The default method's runtime options as text; blank means the default ({@link Options#DEFAULTS}).
     *
     * @param kvCache              KV cache type: f16, fp8, q8_0, q4_0 ...
     * @param flashAttention       on/off (yes/no, true/false)
     * @param gpuMemoryUtilization vLLM's fraction of GPU memory, (0, 1]
     * @param ubatch               llama.cpp physical batch
     * @param gpuLayers            llama.cpp layers on the GPU (-1 or all = every layer)
     * @param parallelism          tensor, layer, data or sharded
     * @param loraTargets          LoRA target modules: all, or a list of q,k,v,o,gate,up,down
     * @param precision            full fine-tuning precision: mixed, bf16 or fp32
     * @param hostBandwidth        host memory bandwidth in GB/s (llama.cpp CPU layers)
     */
    public record Knobs(String kvCache, String flashAttention, String gpuMemoryUtilization, String ubatch,
                        String gpuLayers, String parallelism, String loraTargets, String precision,
                        String hostBandwidth) {

        /** No option given. */
        public static final Knobs NONE = new Knobs(null, null, null, null, null, null, null, null, null);

        /** The CSV columns read when a file has them (optional: files without them use the defaults). */
        public static final java.util.List<String> COLUMNS = java.util.List.of("kv_cache", "flash_attention",
                "gpu_memory_utilization", "ubatch", "gpu_layers", "parallelism", "lora_targets", "precision",
                "host_bandwidth");

        /** Knobs from a CSV row's optional columns. */
        public static Knobs fromRow(Map<String, String> row) {
            return new Knobs(row.get("kv_cache"), row.get("flash_attention"), row.get("gpu_memory_utilization"),
                    row.get("ubatch"), row.get("gpu_layers"), row.get("parallelism"), row.get("lora_targets"),
                    row.get("precision"), row.get("host_bandwidth"));
        }

        /**
         * The options.
         *
         * @throws InvalidScenarioException saying which value is wrong and what is accepted
         */
        public Options resolve() {
            Options d = Options.DEFAULTS;
            double util = given(gpuMemoryUtilization) ? positiveNumber("gpu memory utilization", gpuMemoryUtilization)
                    : d.gpuMemoryUtilization();
            int layers = d.gpuLayers();
            if (given(gpuLayers)) {
                layers = gpuLayers.trim().equalsIgnoreCase("all") ? -1 : layerCount(gpuLayers);
            }
            return new Options(given(kvCache) ? kvCache.trim() : d.kvCacheType(),
                    given(flashAttention) ? Boolean.valueOf(bool("flash attention", flashAttention)) : d.flashAttention(), util,
                    given(ubatch) ? positiveInt("ubatch", ubatch) : d.ubatch(), layers,
                    given(parallelism) ? Options.Parallelism.parse(parallelism) : d.parallelism(),
                    given(loraTargets) ? loraTargets : d.loraTargets(), given(precision) ? precision : d.precision(),
                    given(hostBandwidth) ? positiveNumber("host bandwidth", hostBandwidth) : d.hostBandwidthGBs());
        }
    }

    /** Blank knobs count as none. */
    public ScenarioRequest {
        if (knobs == null) {
            knobs = Knobs.NONE;
        }
    }

    /** A request with the default runtime options. */
    public ScenarioRequest(String model, String size, String mode, String framework, String quant, String method,
                           String optimizer, String gradCkpt, String prompt, String gen, String batch,
                           String device, String ddr, String gpus, String loraRank) {
        this(model, size, mode, framework, quant, method, optimizer, gradCkpt, prompt, gen, batch, device, ddr, gpus,
                loraRank, Knobs.NONE);
    }

    /** A plain decimal number: what JavaScript's {@code Number(text)} reads as the same value (no "7d" or "0x1A"). */
    private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The CSV column names, in order (the field names with {@code grad_ckpt}). */
    public static final java.util.List<String> COLUMNS = java.util.List.of("model", "size", "mode", "framework",
            "quant", "method", "optimizer", "grad_ckpt", "prompt", "gen", "batch", "device", "ddr", "gpus");

    /**
     * A request from a CSV row (missing columns are "not given"; {@code lora_rank} and the
     * {@link Knobs#COLUMNS} are read when present).
     */
    public static ScenarioRequest fromRow(Map<String, String> row) {
        return new ScenarioRequest(row.get("model"), row.get("size"), row.get("mode"), row.get("framework"),
                row.get("quant"), row.get("method"), row.get("optimizer"), row.get("grad_ckpt"), row.get("prompt"),
                row.get("gen"), row.get("batch"), row.get("device"), row.get("ddr"), row.get("gpus"),
                row.get("lora_rank"), Knobs.fromRow(row));
    }

    /**
     * Builds the scenario.
     *
     * @throws InvalidScenarioException saying which value is wrong and what is accepted
     */
    public Scenario resolve(Catalog catalog) {
        ModelSpec spec;
        if (given(model)) {
            spec = catalog.model(model);
        } else if (given(size)) {
            spec = ModelSpec.ofSize(positiveNumber("size", size));
        } else {
            throw new InvalidScenarioException("a model is needed: give a model id or config.json path, or a size in billions");
        }
        Mode m = given(mode) ? Mode.parse(mode) : Mode.INFERENCE;
        Quant q = given(quant) ? Quant.parse(quant) : Quant.NONE;
        Hardware d = given(device) ? catalog.hardware(device) : null;
        Framework f = given(framework) ? Framework.parse(framework) : Framework.defaultFor(q, d, m);
        TrainMethod tm = given(method) ? TrainMethod.parse(method) : (m == Mode.TRAINING ? TrainMethod.FULL : null);
        Optimizer opt = given(optimizer) ? Optimizer.parse(optimizer) : Optimizer.ADAM;
        boolean gc = given(gradCkpt) && bool("grad_ckpt", gradCkpt);
        int p = given(prompt) ? positiveInt("prompt", prompt) : 512;
        int g = given(gen) ? nonNegativeInt("gen", gen) : (m == Mode.TRAINING ? 1 : 512);
        int b = given(batch) ? positiveInt("batch", batch) : 1;
        int n = given(gpus) ? positiveInt("gpus", gpus) : 1;
        int rank = given(loraRank) ? positiveInt("lora rank", loraRank) : 8;
        Ddr dd = given(ddr) ? Ddr.parse(ddr) : null;
        if (d != null && d.isGpu() && dd != null) {
            throw new InvalidScenarioException("ddr applies to CPUs; device " + d.id() + " is a GPU");
        }
        Workload w = new Workload(m, p, g, b, tm, opt, gc, rank);
        return new Scenario(spec, q, f, w, d, n, dd, knobs.resolve());
    }

    private static int layerCount(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= -1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidScenarioException("gpu layers must be all (or -1), 0 or a positive integer, got '" + text.trim() + "'");
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }

    static int positiveInt(String what, String text) {
        int v = integer(what, text);
        if (v < 1) {
            throw new InvalidScenarioException(what + " must be a positive integer, got '" + text.trim() + "'");
        }
        return v;
    }

    static int nonNegativeInt(String what, String text) {
        int v = integer(what, text);
        if (v < 0) {
            throw new InvalidScenarioException(what + " must be 0 or a positive integer, got '" + text.trim() + "'");
        }
        return v;
    }

    private static int integer(String what, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidScenarioException(what + " must be a positive integer, got '" + text.trim() + "'");
        }
    }

    static double positiveNumber(String what, String text) {
        String t = text.trim();
        if (DECIMAL.matcher(t).matches()) {
            double v = Double.parseDouble(t);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        }
        throw new InvalidScenarioException(what + " must be a positive number (e.g. 7 or 0.5), got '" + text.trim() + "'");
    }

    private static boolean bool(String what, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "on" -> true;
            case "false", "no", "n", "0", "off" -> false;
            default -> throw new InvalidScenarioException(what + " must be yes or no, got '" + text.trim() + "'");
        };
    }
}
