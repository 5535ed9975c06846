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
 * share. In inference each runtime places them ({@link Runtime#plan}); fine-tuning holds the base
 * weights, adapters, gradients, optimizer states and saved activations ({@link #of}).
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
 * @param host           bytes llama.cpp keeps in host memory (token embedding, CPU layers and their cache)
 * @param gpuLayers      blocks on the GPU(s)
 * @param notes          placement facts, one line each
 */
record MemoryPlan(double weights, double kv, double activations, double gradOptimizer, double overhead,
                  double perDevice, double perDeviceFixed, double kvPerDevice, double context, double host,
                         int gpuLayers, List<String> notes) {

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
        return c.training() != null ? training(c, devices) : c.runtime().plan(c, devices);
    }

    private static final double MIB = 1024 * 1024;

    /**
     * Fine-tuning holds the base weights, adapters, gradients, optimizer states and saved
     * activations; data-parallel training replicates everything, sharded training splits weights,
     * gradients and states (and gathers the largest layer), layer and tensor parallel split it all.
     */
    private static MemoryPlan training(EstimateContext c, int n) {
        Workload w = c.w();
        Options o = c.options();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        TrainingMemory tm = c.training();
        Hardware d = c.device();
        boolean gpu = d == null || d.isGpu();
        double context = gpu ? c.cal(Param.TRAIN_OVERHEAD_MIB, c.planClass()) * MIB : c.runtime().context(c);
        boolean full = w.method() == TrainMethod.FULL;
        boolean bnb4 = !full && c.s().quant() == Quant.BNB_NF4 || w.method() == TrainMethod.QLORA;
        double act = w.batch() * Activations.training(a, w.promptTokens(), full, o.loraTargetsOrDefault(), w.loraRank(),
                bnb4, Boolean.FALSE.equals(o.flashAttention()), w.gradientCheckpointing(), tm.computeBytes());
        double weights = wb.total() + tm.adapterBytes();
        double state = tm.gradientBytes() + tm.optimizerBytes();
        Parallelism p = c.parallelism();
        double perDevice = switch (p) {
            case DATA -> weights + state + act;
            case SHARDED -> (weights + state) / n + 2 * wb.maxLayer() + act;
            case LAYER, TENSOR -> (weights + state + act) / n;
        } + context;
        double totalWeights = p == Parallelism.DATA ? n * weights : weights;
        double totalState = p == Parallelism.DATA ? n * state : state;
        double totalAct = p == Parallelism.DATA || p == Parallelism.SHARDED ? n * act : act;
        List<String> notes = new LazyLines(() -> List.of(tm.description(),
                String.format("activations of %d sequence(s) of %d tokens: %s%s", w.batch(), w.promptTokens(), mib(act),
                        w.gradientCheckpointing() ? " (gradient checkpointing)" : ""),
                n > 1 ? n + " GPUs, " + p + " parallel" : "one GPU"));
        return new MemoryPlan(totalWeights, 0, totalAct, totalState, n * context, perDevice, perDevice, 0, context, 0,
                a.layers(), notes);
    }

    static String mib(double bytes) {
        return NumberText.plain(Math.round(bytes / MIB)) + " MiB";
    }
}
