package gpupoor.calc;

import java.util.EnumSet;
import java.util.Set;

/**
 * Runtime knobs the default method models (the gpu-poor method ignores them). A null value means
 * "not given": the runtime's or the method's default applies ({@link Defaults}, {@link Framework}).
 * A knob given to a runtime that does not take it is refused when the scenario is made.
 *
 * @param kvCache              KV cache element type (vLLM: f16, fp8; llama.cpp: f16, q8_0, q4_0 …)
 * @param flashAttention       flash attention on or off
 * @param gpuMemoryUtilization vLLM's {@code gpu_memory_utilization} (0 &lt; x &le; 1)
 * @param ubatch               llama.cpp's physical batch ({@code -ub}); its compute buffers scale with it
 * @param gpuLayers            llama.cpp layers offloaded to the GPU ({@code -ngl}); -1 = all, 0 = CPU only
 * @param parallelism          how several devices share the model
 * @param loraTargets          LoRA target modules
 * @param precision            full fine-tuning precision
 * @param hostBandwidthGBs     host memory bandwidth in GB/s for llama.cpp layers left on the CPU
 * @param serving              the inference runtimes' serving and multi-device knobs (never null: {@link ServingOptions#NONE} when none is given)
 * @param training             fine-tuning techniques (never null: {@link TrainingOptions#NONE} when none is given)
 */
public record Options(KvCacheType kvCache, Boolean flashAttention, Double gpuMemoryUtilization, Integer ubatch,
                      Integer gpuLayers, Parallelism parallelism, LoraTargets loraTargets, Precision precision,
                      Double hostBandwidthGBs, ServingOptions serving, TrainingOptions training) {

    /** No knob given. */
    public static final Options NONE = new Options(null, null, null, null, null, null, null, null, null,
            ServingOptions.NONE, TrainingOptions.NONE);

    /** Checks the ranges of the knobs given ({@link Limits}). */
    public Options {
        if (serving == null) {
            serving = ServingOptions.NONE;
        }
        if (training == null) {
            training = TrainingOptions.NONE;
        }
        if (gpuMemoryUtilization != null) {
            Limits.check(Input.GPU_MEMORY_UTILIZATION, gpuMemoryUtilization.doubleValue());
        }
        if (ubatch != null) {
            Limits.check(Input.UBATCH, ubatch.longValue());
        }
        if (gpuLayers != null) {
            Limits.check(Input.GPU_LAYERS, gpuLayers.longValue());
        }
        if (hostBandwidthGBs != null) {
            Limits.check(Input.HOST_BANDWIDTH, hostBandwidthGBs.doubleValue());
        }
    }

    /** The knobs given. */
    public Set<Input> given() {
        Set<Input> out = EnumSet.noneOf(Input.class);
        for (Input i : KNOBS) {
            if (value(i) != null) {
                out.add(i);
            }
        }
        for (Input i : ServingOptions.KNOBS) {
            if (serving.value(i) != null) {
                out.add(i);
            }
        }
        for (Input i : TrainingOptions.INPUTS) {
            if (training.value(i) != null) {
                out.add(i);
            }
        }
        return out;
    }

    private static final Set<Input> KNOBS = EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION,
            Input.GPU_MEMORY_UTILIZATION, Input.UBATCH, Input.GPU_LAYERS, Input.PARALLELISM, Input.LORA_TARGETS,
            Input.PRECISION, Input.HOST_BANDWIDTH);

    private Object value(Input knob) {
        return switch (knob) {
            case KV_CACHE -> kvCache;
            case FLASH_ATTENTION -> flashAttention;
            case GPU_MEMORY_UTILIZATION -> gpuMemoryUtilization;
            case UBATCH -> ubatch;
            case GPU_LAYERS -> gpuLayers;
            case PARALLELISM -> parallelism;
            case LORA_TARGETS -> loraTargets;
            case PRECISION -> precision;
            case HOST_BANDWIDTH -> hostBandwidthGBs;
            default -> ServingOptions.KNOBS.contains(knob) ? serving.value(knob) : training.value(knob);
        };
    }

    /** The value of a knob as text ({@code on}/{@code off} for flash attention, {@code all} for -1 GPU layers); null if not given. */
    public String text(Input knob) {
        Object v = value(knob);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "on" : "off";
        }
        if (knob == Input.GPU_LAYERS && gpuLayers == -1) {
            return "all";
        }
        return v instanceof Double d ? NumberText.plain(d) : v.toString();
    }

    /** The KV cache type, {@link Defaults#KV_CACHE} when not given. */
    public KvCacheType kvCacheOrDefault() {
        return kvCache == null ? Defaults.KV_CACHE : kvCache;
    }

    /** vLLM's memory share, {@link Defaults#GPU_MEMORY_UTILIZATION} when not given. */
    public double gpuMemoryUtilizationOrDefault() {
        return gpuMemoryUtilization == null ? Defaults.GPU_MEMORY_UTILIZATION : gpuMemoryUtilization;
    }

    /** llama.cpp's ubatch, {@link Defaults#UBATCH} when not given. */
    public int ubatchOrDefault() {
        return ubatch == null ? Defaults.UBATCH : ubatch;
    }

    /** llama.cpp's GPU layers: -1 (all) when not given. */
    public int gpuLayersOrAll() {
        return gpuLayers == null ? -1 : gpuLayers;
    }

    /** The LoRA targets, {@link Defaults#LORA_TARGETS} when not given. */
    public LoraTargets loraTargetsOrDefault() {
        return loraTargets == null ? Defaults.LORA_TARGETS : loraTargets;
    }

    /** The training precision, {@link Defaults#PRECISION} when not given. */
    public Precision precisionOrDefault() {
        return precision == null ? Defaults.PRECISION : precision;
    }

    /** A copy with another KV cache type (null: the default). */
    public Options withKvCache(KvCacheType type) {
        return new Options(type, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with flash attention on, off, or (null) the framework default. */
    public Options withFlashAttention(Boolean on) {
        return new Options(kvCache, on, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with another vLLM memory utilization (null: the default). */
    public Options withGpuMemoryUtilization(Double u) {
        return new Options(kvCache, flashAttention, u, ubatch, gpuLayers, parallelism, loraTargets, precision,
                hostBandwidthGBs, serving, training);
    }

    /** A copy with another llama.cpp ubatch (null: the default). */
    public Options withUbatch(Integer n) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, n, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with another number of llama.cpp GPU layers (-1 = all; null: not given). */
    public Options withGpuLayers(Integer n) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, n, parallelism, loraTargets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with another parallelism (null = the framework's default). */
    public Options withParallelism(Parallelism p) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, p, loraTargets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with other LoRA targets (null: the default). */
    public Options withLoraTargets(LoraTargets targets) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, targets,
                precision, hostBandwidthGBs, serving, training);
    }

    /** A copy with another training precision (null: the default). */
    public Options withPrecision(Precision p) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism,
                loraTargets, p, hostBandwidthGBs, serving, training);
    }

    /** A copy with other serving and multi-device knobs (null: none given). */
    public Options withServing(ServingOptions knobs) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs, knobs, training);
    }

    /** A copy with another host memory bandwidth in GB/s (null: the calibration's typical desktop). */
    public Options withHostBandwidthGBs(Double gbs) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism,
                loraTargets, precision, gbs, serving, training);
    }

    /** A copy with other fine-tuning techniques (null: none given). */
    public Options withTraining(TrainingOptions t) {
        return new Options(kvCache, flashAttention, gpuMemoryUtilization, ubatch, gpuLayers, parallelism, loraTargets,
                precision, hostBandwidthGBs, serving, t);
    }
}
