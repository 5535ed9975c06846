package gpupoor.calc;

/**
 * Runtime knobs the default method models (the gpu-poor method ignores them).
 *
 * @param kvCacheType          KV cache element type: {@code f16}, {@code fp8}, {@code q8_0} or {@code q4_0}
 * @param flashAttention       flash attention on or off; null = the framework's default
 * @param gpuMemoryUtilization vLLM's {@code gpu_memory_utilization} (0 &lt; x &le; 1)
 * @param ubatch               llama.cpp's physical batch ({@code -ub}); its compute buffers scale with it
 * @param gpuLayers            llama.cpp layers offloaded to the GPU ({@code -ngl}); -1 = all
 * @param parallelism          how several GPUs share the model
 */
public record Options(String kvCacheType, Boolean flashAttention, double gpuMemoryUtilization, int ubatch,
                      int gpuLayers, Parallelism parallelism) {

    /** How several devices split a model. */
    public enum Parallelism {
        /** Tensor parallel: every layer split across devices, an all-reduce per layer. */
        TENSOR,
        /** Layer (pipeline) split: devices hold consecutive layers and run one after another. */
        LAYER
    }

    /** The defaults: f16 cache, framework-default attention, 0.9 utilization, ubatch 512, all layers on GPU, tensor parallel. */
    public static final Options DEFAULTS = new Options("f16", null, 0.9, 512, -1, Parallelism.TENSOR);

    /** Checks the ranges. */
    public Options {
        if (kvCacheType == null) {
            kvCacheType = "f16";
        }
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new InvalidScenarioException("gpu memory utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
        if (ubatch < 1) {
            throw new InvalidScenarioException("ubatch must be a positive integer, got " + ubatch);
        }
        if (gpuLayers < -1) {
            throw new InvalidScenarioException("gpu layers must be -1 (all) or 0 and more, got " + gpuLayers);
        }
        if (parallelism == null) {
            parallelism = Parallelism.TENSOR;
        }
    }
}
