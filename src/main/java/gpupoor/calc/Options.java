package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runtime knobs the default method models (the gpu-poor method ignores them). A null or zero
 * value means "the framework's default".
 *
 * @param kvCacheType          KV cache element type: {@code f16}, {@code fp8} (vLLM), {@code q8_0} or {@code q4_0} (llama.cpp)
 * @param flashAttention       flash attention on or off; null = the framework's default (llama.cpp: off,
 *                             Hugging Face: SDPA, which keeps no attention matrix, vLLM: on)
 * @param gpuMemoryUtilization vLLM's {@code gpu_memory_utilization} (0 &lt; x &le; 1)
 * @param ubatch               llama.cpp's physical batch ({@code -ub}); its compute buffers scale with it
 * @param gpuLayers            llama.cpp layers offloaded to the GPU ({@code -ngl}); -1 = all, 0 = CPU only
 * @param parallelism          how several devices share the model; null = the framework's default
 *                             (llama.cpp and Hugging Face inference: layer split; vLLM: tensor parallel;
 *                             training: data parallel)
 * @param loraTargets          LoRA target modules: {@code q,v} (default), {@code all} or a list of
 *                             q, k, v, o, gate, up, down
 * @param precision            full fine-tuning precision: {@code mixed} (bf16 compute, fp32 master weights,
 *                             gradients and optimizer states; the default), {@code bf16} (everything bf16)
 *                             or {@code fp32}
 * @param hostBandwidthGBs     host memory bandwidth for llama.cpp layers left on the CPU (0 = a typical
 *                             dual-channel desktop, from the calibration)
 */
public record Options(String kvCacheType, Boolean flashAttention, double gpuMemoryUtilization, int ubatch,
                      int gpuLayers, Parallelism parallelism, String loraTargets, String precision,
                      double hostBandwidthGBs) {

    /** How several devices split a model. */
    public enum Parallelism {
        /** Tensor parallel: every layer split across devices, an all-reduce per layer. */
        TENSOR,
        /** Layer (pipeline) split: devices hold consecutive layers and run one after another. */
        LAYER,
        /** Data parallel (training): every device holds everything and trains on its own batch. */
        DATA,
        /** Fully sharded data parallel (training, FSDP / ZeRO-3): weights, gradients and optimizer states split. */
        SHARDED;

        /** Parses {@code tensor}, {@code layer}, {@code data} or {@code sharded} (also tp, pp, ddp, fsdp, zero3). */
        public static Parallelism parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "tensor", "tp", "tensor-parallel" -> TENSOR;
                case "layer", "pp", "pipeline", "split", "layer-split" -> LAYER;
                case "data", "ddp", "dp" -> DATA;
                case "sharded", "fsdp", "zero3", "zero-3" -> SHARDED;
                default -> throw new InvalidScenarioException("unknown parallelism '" + text
                        + "'; accepted: tensor, layer, data, sharded");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** LoRA target module names. */
    public static final List<String> LORA_MODULES = List.of("q", "k", "v", "o", "gate", "up", "down");

    /** Training precisions. */
    public static final List<String> PRECISIONS = List.of("mixed", "bf16", "fp32");

    /** The defaults: f16 cache, framework-default attention, 0.9 utilization, ubatch 512, all layers on GPU. */
    public static final Options DEFAULTS = new Options("f16", null, 0.9, 512, -1, null, "q,v", "mixed", 0);

    /** Checks the ranges and normalizes the lists. */
    public Options {
        if (kvCacheType == null || kvCacheType.isBlank()) {
            kvCacheType = "f16";
        }
        KvCache.elementBytes(kvCacheType);
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new InvalidScenarioException("gpu memory utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
        if (ubatch < 1) {
            throw new InvalidScenarioException("ubatch must be a positive integer, got " + ubatch);
        }
        if (gpuLayers < -1) {
            throw new InvalidScenarioException("gpu layers must be -1 (all) or 0 and more, got " + gpuLayers);
        }
        loraTargets = normalizeTargets(loraTargets);
        precision = precision == null || precision.isBlank() ? "mixed" : precision.trim().toLowerCase(Locale.ROOT);
        if (!PRECISIONS.contains(precision)) {
            throw new InvalidScenarioException("unknown training precision '" + precision + "'; accepted: "
                    + String.join(", ", PRECISIONS));
        }
        if (hostBandwidthGBs < 0 || !Double.isFinite(hostBandwidthGBs)) {
            throw new InvalidScenarioException("host bandwidth must be a positive number of GB/s, got " + hostBandwidthGBs);
        }
    }

    private static String normalizeTargets(String text) {
        String t = text == null || text.isBlank() ? "q,v" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all") || t.equals("all-linear")) {
            return String.join(",", LORA_MODULES);
        }
        List<String> parts = Arrays.stream(t.split("[,\\s]+")).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("_proj") ? s.substring(0, s.length() - 5) : s).distinct().toList();
        for (String p : parts) {
            if (!LORA_MODULES.contains(p)) {
                throw new InvalidScenarioException("unknown LoRA target '" + p + "'; accepted: all, or a list of "
                        + String.join(", ", LORA_MODULES) + Names.didYouMean(p, LORA_MODULES));
            }
        }
        if (parts.isEmpty()) {
            throw new InvalidScenarioException("LoRA targets must name at least one module of " + String.join(", ", LORA_MODULES));
        }
        return LORA_MODULES.stream().filter(parts::contains).reduce((a, b) -> a + "," + b).orElseThrow();
    }

    /** The LoRA target modules, in the order of {@link #LORA_MODULES}. */
    public List<String> loraTargetList() {
        return List.of(loraTargets.split(","));
    }

    /** A copy with another KV cache type. */
    public Options withKvCacheType(String type) {
        return new Options(type, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs);
    }

    /** A copy with flash attention on, off, or (null) the framework default. */
    public Options withFlashAttention(Boolean on) {
        return new Options(kvCacheType, on, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs);
    }

    /** A copy with another vLLM memory utilization. */
    public Options withGpuMemoryUtilization(double u) {
        return new Options(kvCacheType, flashAttention, u, ubatch, gpuLayers, parallelism, loraTargets, precision,
                hostBandwidthGBs);
    }

    /** A copy with another llama.cpp ubatch. */
    public Options withUbatch(int n) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, n, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs);
    }

    /** A copy with another number of llama.cpp GPU layers (-1 = all). */
    public Options withGpuLayers(int n) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, ubatch, n, parallelism, loraTargets,
                precision, hostBandwidthGBs);
    }

    /** A copy with another parallelism (null = the framework's default). */
    public Options withParallelism(Parallelism p) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, p, loraTargets,
                precision, hostBandwidthGBs);
    }

    /** A copy with other LoRA targets. */
    public Options withLoraTargets(String targets) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, targets,
                precision, hostBandwidthGBs);
    }

    /** A copy with another training precision. */
    public Options withPrecision(String p) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism,
                loraTargets, p, hostBandwidthGBs);
    }

    /** A copy with another host memory bandwidth (GB/s; 0 = the calibration's typical desktop). */
    public Options withHostBandwidthGBs(double gbs) {
        return new Options(kvCacheType, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism,
                loraTargets, precision, gbs);
    }
}
