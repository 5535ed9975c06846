package gpupoor.calc.accurate;

import gpupoor.calc.Hardware;
import gpupoor.calc.NumberText;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;

/**
 * Where a scenario's bytes live: the device totals by component and the most loaded device's
 * share. In inference each runtime places them ({@link Runtime#plan}); in fine-tuning the training
 * plan does ({@link TrainingPlan#plan}).
 *
 * @param weights        weight bytes on the device(s), all together
 * @param kv             KV-cache bytes on the device(s) (vLLM: what the workload needs)
 * @param activations    compute buffers / activations on the device(s)
 * @param gradOptimizer  gradients, optimizer states and master weights on the device(s)
 * @param overhead       runtime context and framework reserves on the device(s)
 * @param perDevice      bytes on the most loaded device
 * @param perDeviceFixed bytes on the most loaded device without its KV cache
 * @param kvPerDevice    KV-cache bytes on the most loaded device
 * @param context        runtime (CUDA/Metal) context per device, included in {@code overhead}
 * @param hostAllocated  host bytes the runtime allocates beside the device(s) (llama.cpp: repacked weights, CPU
 *                       layers' cache and compute buffers, its output buffer; weights read without mmap)
 * @param hostMapped     host bytes mapped from the model file (llama.cpp's mmap)
 * @param gpuLayers      blocks on the GPU(s)
 * @param notes          placement facts, one line each
 */
record MemoryPlan(double weights, double kv, double activations, double gradOptimizer, double overhead,
                  double perDevice, double perDeviceFixed, double kvPerDevice, double context, double hostAllocated,
                  double hostMapped, int gpuLayers, List<String> notes) {

    /** Copies the notes ({@link LazyLines} are kept as they are: written when first read). */
    public MemoryPlan {
        notes = notes instanceof LazyLines ? notes : List.copyOf(notes);
    }

    /** Everything on the device(s). */
    public double total() {
        return weights + kv + activations + gradOptimizer + overhead;
    }

    /**
     * The plan of an estimate's scenario on {@code devices} devices of its kind (no device: a bare
     * memory estimate, as if on one GPU): the fine-tuning plan in training, else the runtime's.
     */
    static MemoryPlan of(EstimateContext c, int devices) {
        return c.training() != null ? TrainingPlan.plan(c, devices) : c.runtime().plan(c, devices);
    }

    private static final double MIB = 1024 * 1024;

    static String mib(double bytes) {
        return NumberText.plain(Math.round(bytes / MIB)) + " MiB";
    }
}
