package gpupoor.calc.accurate;

import gpupoor.calc.CpuOffload;
import gpupoor.calc.Framework;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.TrainingOptions;
import gpupoor.calc.Workload;

/**
 * How one fine-tuning run is done, every choice resolved: what the scenario gives, else what its
 * training runtime does by default ({@link Framework#trainingDefaults}).
 *
 * @param method              full, LoRA or QLoRA
 * @param precision           mixed, bf16 or fp32
 * @param optimizer           the optimizer
 * @param checkpointing       activation checkpointing of every block
 * @param compile             torch.compile
 * @param chunkedLoss         a chunked (or fused) cross-entropy
 * @param optimizerInBackward the optimizer step in the backward pass
 * @param activationOffloading saved activations moved to host memory
 * @param cpuOffload          what lives in host memory
 * @param zero                ZeRO stage (0 = replicated data parallel): the one given (DeepSpeed's, applied even
 *                            on one GPU, as DeepSpeed does), else 3 for sharded parallelism on several GPUs
 * @param fsdp                whether sharding follows FSDP's units (decoder blocks) rather than DeepSpeed's
 *                            modules: the stage comes from the parallelism, not from {@code --zero}
 * @param parallelism         how the GPUs share the run
 * @param devices             GPUs
 * @param targets             LoRA target modules
 * @param rank                LoRA rank
 * @param quantizedBase       the frozen base is a bitsandbytes or torchao quantized model (LoRA on a quantized base, QLoRA)
 */
record TrainingRecipe(TrainMethod method, Precision precision, Optimizer optimizer, boolean checkpointing,
                      boolean compile, boolean chunkedLoss, boolean optimizerInBackward, boolean activationOffloading,
                      CpuOffload cpuOffload, int zero, boolean fsdp, Parallelism parallelism, int devices,
                      LoraTargets targets, int rank, boolean quantizedBase) {

    /**
     * The recipe of a training scenario whose weights are held as {@code storage}.
     *
     * @throws InvalidScenarioException when the ZeRO stage is given with tensor or layer parallelism
     */
    static TrainingRecipe of(Scenario s, Quant storage, Parallelism p) {
        Workload w = s.workload();
        Options o = s.options();
        TrainingOptions t = o.training();
        TrainMethod m = w.method() == null ? TrainMethod.FULL : w.method();
        Framework.TrainingDefaults d = s.framework().trainingDefaults(m, s.deviceCount());
        if (t.zero() != null && (p == Parallelism.TENSOR || p == Parallelism.LAYER)) {
            throw new InvalidScenarioException(Input.ZERO.ref(t.zero()) + " shards data-parallel training; it does not "
                    + "go with " + Input.PARALLELISM.ref(p) + " (use data or sharded)");
        }
        int zero = t.zero() != null ? t.zero() : p == Parallelism.SHARDED && s.deviceCount() > 1 ? 3 : 0;
        return new TrainingRecipe(m, o.precision() != null ? o.precision() : d.precision(), w.optimizer(),
                w.gradientCheckpointing(), or(t.compile(), d.compile()), or(t.chunkedLoss(), d.chunkedLoss()),
                or(t.optimizerInBackward(), d.optimizerInBackward()), or(t.activationOffloading(), false),
                t.cpuOffload() != null ? t.cpuOffload() : CpuOffload.NONE, zero, t.zero() == null, p, s.deviceCount(),
                o.loraTargets() != null ? o.loraTargets() : d.loraTargets(), w.loraRank(),
                m != TrainMethod.FULL && storage != Quant.NONE && storage != Quant.FP32);
    }

    private static boolean or(Boolean given, boolean byDefault) {
        return given != null ? given : byDefault;
    }

    /** Whether every weight trains. */
    boolean full() {
        return method == TrainMethod.FULL;
    }

    /** Bytes of an activation element: 4 in fp32 full fine-tuning, else 2 (bf16 compute). */
    double computeBytes() {
        return full() && precision == Precision.FP32 ? 4 : 2;
    }

    /** Whether the run is data parallel (replicated or sharded) over several GPUs. */
    boolean dataParallel() {
        return parallelism == Parallelism.DATA || parallelism == Parallelism.SHARDED;
    }
}
