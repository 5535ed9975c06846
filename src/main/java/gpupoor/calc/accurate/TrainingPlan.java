package gpupoor.calc.accurate;

import gpupoor.calc.Bound;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.TrainingTime;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a fine-tuning run's bytes live and how long one iteration takes, from the recipe
 * ({@link TrainingRecipe}), the runtime's kernels ({@link Trainer}) and the model.
 * <p>
 * <b>Memory</b>, per GPU: the weights (the frozen base and the adapters, or the model), the
 * optimizer's state, and at the peak either the activations of one micro-batch with the first
 * gradients (the loss's backward pass) or every gradient (the end of the backward pass), whichever
 * is larger, plus a fixed overhead per GPU (calibrated). Activations: every block's saved tensors,
 * or with checkpointing every block's input plus one block recomputed; Unsloth's checkpointing and
 * activation offloading keep only two blocks' worth on the GPU; the loss as the runtime computes it.
 * Optimizer in backward holds one gradient at a time; paged optimizers keep their states in unified
 * memory that spills to the host. Several GPUs: data parallel replicates everything; ZeRO-1/2 shard
 * the master weights, optimizer states and fp32 gradient partitions, ZeRO-3 the weights too, gathering
 * a unit at a time (DeepSpeed: the largest module, weights and gradients; FSDP: the embeddings and
 * head plus two blocks); CPU offload moves the optimizer (with the gradients) or the parameters to
 * host memory. Layer and tensor parallelism split everything.
 * <p>
 * <b>Time</b>, per iteration of one micro-batch per GPU: matrix FLOPs (6·P·T, or 4·P·T for a frozen
 * base, plus a forward again with checkpointing, plus attention) at a calibrated share of the GPU's
 * 16-bit peak, faster by a factor under torch.compile; plus memory traffic (bitsandbytes
 * dequantization, the optimizer step), but never less than the CPU's time to launch the kernels
 * (eager PyTorch: a calibrated time per block per pass); plus the host transfers of offloading beyond
 * what overlaps the compute, a CPU optimizer step (and paged optimizer states that do not fit on the
 * GPU, streamed each step), and the gradient all-reduce or the ZeRO-3 gathers over the GPUs'
 * interconnect.
 */
final class TrainingPlan {
    private static final double MIB = 1024 * 1024;

    private TrainingPlan() {
    }

    /** The bytes of one fine-tuning run, per GPU and in all, on {@code n} GPUs. */
    static MemoryPlan plan(EstimateContext c, int n) {
        Parts p = parts(c, n);
        Workload w = c.w();
        TrainingMemory tm = c.training();
        TrainingRecipe r = tm.recipe();
        Trainer.Kernels k = c.trainer().kernels(r);
        Trainer.Loss loss = c.trainer().loss(r);
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                List<String> out = new ArrayList<>();
                out.add(tm.description());
                out.add(String.format("activations of %d sequence(s) of %d tokens: %s at their peak (%s%s); kernels: %s",
                        w.batch(), w.promptTokens(), MemoryPlan.mib(p.activations), r.checkpointing()
                                ? c.trainer().offloadsCheckpoints(r) ? "checkpointing, block inputs in host memory"
                                : "gradient checkpointing" : "every block's activations kept",
                        r.activationOffloading() ? ", saved activations offloaded to host memory" : "", k.words()));
                out.add("loss: " + loss.words() + ": " + MemoryPlan.mib(p.loss));
                if (p.gradsAtEnd > p.activations + p.earlyGrads) {
                    out.add("the peak comes at the end of the backward pass, when every gradient is held ("
                            + MemoryPlan.mib(p.gradsAtEnd) + ") and the activations are freed");
                }
                if (r.optimizerInBackward()) {
                    out.add("optimizer step in the backward pass: one gradient at a time");
                }
                out.add(devicesLine(r, n));
                if (p.load > p.weights + p.optimizer + Math.max(p.activations + p.earlyGrads, p.gradsAtEnd)) {
                    out.add("the peak comes while loading: " + MemoryPlan.mib(p.load) + " per GPU (the whole model next to its shard)");
                }
                if (p.host > 0) {
                    out.add("host memory: " + MemoryPlan.mib(p.host) + " per GPU ("
                            + (r.cpuOffload().optimizer() ? "optimizer states, master weights and gradients; " : "")
                            + (r.cpuOffload().params() ? "parameters; " : "")
                            + (r.optimizer().paged() && !r.cpuOffload().optimizer() ? "paged optimizer states; " : "")
                            + "not counted against the GPU)");
                }
                return out;
            }
        };
        double peakExtra = Math.max(p.activations + p.earlyGrads, p.gradsAtEnd);
        boolean activationPeak = p.activations + p.earlyGrads >= p.gradsAtEnd;
        double step = p.weights + p.optimizer + peakExtra;
        boolean loading = p.load > step;
        double weights = loading ? p.load : p.weights;
        double act = loading || !activationPeak ? 0 : p.activations;
        double states = loading ? 0 : p.optimizer + (activationPeak ? p.earlyGrads : p.gradsAtEnd);
        double perDevice = weights + act + states + p.context;
        return new MemoryPlan(n * weights, 0, n * act, n * states, n * p.context, perDevice, perDevice, 0, p.context,
                p.host, 0, c.a().layers(), notes);
    }

    /**
     * The model states per GPU, as DeepSpeed's ZeRO estimators count them: on the GPU the weights
     * (shard and gathered unit), the optimizer's state and the gradients held at the end of the
     * backward pass; in host memory what is offloaded. Bytes: {gpu, host}.
     */
    static double[] modelStates(EstimateContext c, int n) {
        Parts p = parts(c, n);
        return new double[]{p.weights + p.optimizer + p.gradsAtEnd, p.host};
    }

    /**
     * The bytes per GPU, by part.
     *
     * @param weights     weights on the GPU (sharded share and gathered units included)
     * @param optimizer   master weights, optimizer states and gradient partitions on the GPU
     * @param activations activations at their peak (loss or recomputed block)
     * @param loss        the loss's peak within them
     * @param earlyGrads  gradients alive at the activations' peak (the head's, or with optimizer in
     *                    backward the largest one)
     * @param gradsAtEnd  gradients alive at the end of the backward pass
     * @param context     fixed overhead per GPU
     * @param host        bytes per GPU kept in host memory
     * @param load        bytes per GPU at a moment outside the step that may exceed it ({@link Trainer#loadPeak})
     */
    private record Parts(double weights, double optimizer, double activations, double loss, double earlyGrads,
                         double gradsAtEnd, double context, double host, double load) {
    }

    private static Parts parts(EstimateContext c, int n) {
        Architecture a = c.a();
        Workload w = c.w();
        TrainingMemory tm = c.training();
        TrainingRecipe r = tm.recipe();
        Trainer t = c.trainer();
        Hardware d = c.device();
        boolean gpu = d == null || d.isGpu();
        double context = gpu ? c.cal(Param.TRAIN_OVERHEAD_MIB, c.planClass()) * MIB : c.runtime().context(c);

        double tokens = (double) w.batch() * w.promptTokens();
        Trainer.Kernels k = t.kernels(r);
        boolean eager = Boolean.FALSE.equals(c.options().flashAttention());
        double layer = tokens * Activations.trainingLayer(a, k, r, w.promptTokens(), eager);
        double checkpoint = tokens * Activations.checkpoint(a, r);
        double outside = tokens * Activations.trainingOutside(a, k, r);
        double backward = tokens * Activations.trainingTransient(a, k, r);
        double loss = t.loss(r).peak(tokens, a.vocab());
        int blocks = a.layers();
        int kept = t.offloadsCheckpoints(r) || r.activationOffloading() ? Math.min(blocks, 2) : blocks;
        double act = r.checkpointing()
                ? kept * checkpoint + outside + Math.max(loss, layer + backward)
                : kept * layer + outside + Math.max(loss, backward);

        Parallelism p = c.parallelism();
        WeightBytes wb = c.weights();
        double model = t.modelWeights(a, wb, r) + (r.full() ? 0 : tm.weights());
        if (p == Parallelism.LAYER || p == Parallelism.TENSOR) {
            double opt = r.cpuOffload().optimizer() ? 0 : tm.optimizerState() - (r.optimizer().paged() ? tm.states() : 0);
            return new Parts(model / n, opt / n, act / n, loss / n, 0, tm.grads() / n, context, 0, 0);
        }
        int zero = r.dataParallel() ? r.zero() : 0;
        boolean offloadOpt = r.cpuOffload().optimizer();
        boolean offloadParams = r.cpuOffload().params();
        double maxGrad = r.full() ? largestTensorParams(a) * tm.gradBytes() : 0;
        double headGrad = r.full() ? (double) a.vocab() * a.hidden() * tm.gradBytes() : 0;

        double weights = model;
        if (zero == 3 || offloadParams) {
            double shard = offloadParams ? 0 : model / (zero == 3 ? n : 1);
            weights = shard + gathered(a, wb, tm, r);
        }
        int optShards = zero >= 1 ? n : 1;
        double states = offloadOpt ? 0 : (tm.optimizerState() - (r.optimizer().paged() ? tm.states() : 0)) / optShards;
        double gradsAtEnd;
        if (r.optimizerInBackward()) {
            gradsAtEnd = maxGrad;
        } else if (offloadOpt) {
            gradsAtEnd = 0;
        } else if (zero == 3) {
            gradsAtEnd = r.fsdp() ? tm.grads() / n : 0;
        } else if (zero == 2) {
            gradsAtEnd = tm.grads() / n;
        } else {
            gradsAtEnd = tm.grads();
        }
        double early = r.optimizerInBackward() ? maxGrad : offloadOpt || zero == 3 ? 0 : headGrad;
        double host = (offloadOpt ? (tm.optimizerState() + tm.grads()) / optShards : 0)
                + (offloadParams ? model / (zero == 3 ? n : 1) : 0)
                + (r.optimizer().paged() && !offloadOpt ? tm.states() / optShards : 0);
        return new Parts(weights, states, act, loss, early, gradsAtEnd, context, host,
                t.loadPeak(model, weights, r));
    }

    /**
     * The weights a sharded GPU holds gathered at once: DeepSpeed ZeRO-3 its largest module
     * (weights, and gradients when they train: DeepSpeed's estimator counts 4 bytes per parameter of
     * it); FSDP the units outside the blocks (embeddings, head) plus two blocks (the one running and
     * the one prefetched), with their gradients when they train.
     */
    private static double gathered(Architecture a, WeightBytes wb, TrainingMemory tm, TrainingRecipe r) {
        double perParam = wb.total() / a.totalParams() + (r.full() ? tm.gradBytes() : 0);
        if (!r.fsdp()) {
            return largestTensorParams(a) * perParam;
        }
        double block = wb.largestLayer();
        double gradShare = r.full() ? tm.gradBytes() / (wb.total() / a.totalParams()) : 0;
        return (wb.outsideLayers() + 2 * block) * (1 + gradShare);
    }

    /** The parameters of the largest weight tensor (DeepSpeed's "largest layer": one module's own parameters). */
    static double largestTensorParams(Architecture a) {
        double max = 0;
        for (Tensor t : a.outside()) {
            max = Math.max(max, (double) t.rows() * t.cols() * t.copies());
        }
        for (Architecture.Block b : a.blocks()) {
            for (Tensor t : b.tensors()) {
                max = Math.max(max, (double) t.rows() * t.cols() * t.copies());
            }
        }
        return max;
    }

    private static String devicesLine(TrainingRecipe r, int n) {
        if (n == 1) {
            return "one GPU" + (r.cpuOffload() != gpupoor.calc.CpuOffload.NONE ? ", CPU offload " + r.cpuOffload() : "");
        }
        String how = switch (r.parallelism()) {
            case LAYER, TENSOR -> r.parallelism() + " parallel: weights, states and activations split";
            default -> r.zero() == 0 ? "data parallel: everything replicated"
                    : (r.fsdp() ? "FSDP" : "DeepSpeed") + " ZeRO-" + r.zero() + ": " + switch (r.zero()) {
                        case 1 -> "optimizer states sharded";
                        case 2 -> "optimizer states and gradients sharded";
                        default -> "weights, gradients and optimizer states sharded, one unit gathered at a time";
                    };
        };
        return n + " GPUs, " + how + (r.cpuOffload() != gpupoor.calc.CpuOffload.NONE ? "; CPU offload " + r.cpuOffload() : "");
    }

    // ------------------------------------------------------------------ time

    /** Time per iteration of one micro-batch per GPU (GPUs and Apple Silicon; CPUs are not modelled). */
    static TrainingTime time(EstimateContext c) {
        Terms t = terms(c);
        double gpu = Math.max(t.compute + t.memory, t.dispatch);
        double ms = 1000 * (gpu + t.offload + t.cpuStep + t.comm);
        Bound bound = t.compute >= t.memory + t.offload + t.cpuStep + t.comm && t.compute >= t.dispatch
                ? Bound.COMPUTE : Bound.MEMORY;
        double n = c.s().deviceCount();
        Parallelism p = c.parallelism();
        if (n > 1 && (p == Parallelism.LAYER || p == Parallelism.TENSOR)) {
            ms /= n;
        }
        return new TrainingTime(ms, bound);
    }

    /**
     * Seconds per iteration by cause.
     *
     * @param compute matrix and attention FLOPs at the calibrated efficiency
     * @param memory  bitsandbytes dequantization and the optimizer step's traffic on the GPU
     * @param offload host transfers (offloaded activations or checkpoints) beyond what overlaps the compute
     * @param cpuStep the optimizer step on the CPU and its transfers (CPU offload)
     * @param comm    gradient all-reduce, or ZeRO-3 / FSDP gathers and reduce-scatters
     * @param dispatch the CPU's time to launch the kernels, a floor under compute and memory (small
     *                 models and short sequences wait on it, not on the GPU)
     */
    private record Terms(double compute, double memory, double offload, double cpuStep, double comm, double dispatch) {
    }

    private static Terms terms(EstimateContext c) {
        Architecture a = c.a();
        Hardware d = c.device();
        Workload w = c.w();
        TrainingMemory tm = c.training();
        TrainingRecipe r = tm.recipe();
        Trainer t = c.trainer();
        DeviceClass dc = c.dc();
        double tokens = (double) w.batch() * w.promptTokens();
        double attn = w.batch() * 2.0 * a.queryWidth() * a.attentionLayers() * w.promptTokens() * (double) w.promptTokens();
        double forward = 2 * c.facts().activeParams() * tokens + attn;
        double flops = forward * (r.full() ? 3 : 2) + (r.checkpointing() ? forward : 0);
        double speedup = r.compile() ? c.cal(Param.TRAIN_COMPILE_SPEEDUP, dc) : 1;
        double compute = flops / (c.cal(Param.TRAIN_FLOPS_EFF, dc) * peak(c) * 1e12) / speedup;

        double bw = c.cal(Param.DECODE_BW_EFF, dc) * d.bandwidthGBs() * 1e9;
        double dequant = 0;
        if (c.storage().isBnb()) {
            double quantizedParams = c.facts().totalParams() - (double) a.vocab() * a.hidden() * (a.tiedEmbeddings() ? 1 : 2);
            dequant = (r.checkpointing() ? 3 : 2) * (c.weights().total() + 4 * quantizedParams);
        }
        int n = c.s().deviceCount();
        int zero = r.dataParallel() ? r.zero() : 0;
        int shards = zero >= 1 ? n : 1;
        boolean offloadOpt = r.cpuOffload().optimizer();
        double step = offloadOpt ? 0 : 2 * (tm.grads() + tm.optimizerState() + tm.weights()) / shards;
        double memory = (dequant + step) / bw;

        double link = c.cal(Param.OFFLOAD_GBS, dc) * 1e9;
        double offloaded = 0;
        if (t.offloadsCheckpoints(r) || r.activationOffloading()) {
            double perBlock = r.checkpointing() ? Activations.checkpoint(a, r)
                    : Activations.trainingLayer(a, t.kernels(r), r, w.promptTokens(), false);
            offloaded = 2 * a.layers() * perBlock * tokens;
        }
        double offload = Math.max(0, offloaded / link - compute);

        double cpuStep = 0;
        if (offloadOpt) {
            double host = c.cal(Param.HOST_BANDWIDTH_GBS, DeviceClass.CPU) * 1e9;
            cpuStep = 2 * (tm.optimizerState() + tm.grads()) / shards / host + (tm.grads() + tm.weights()) / shards / link;
        }
        if (r.cpuOffload().params()) {
            cpuStep += (r.checkpointing() ? 3 : 2) * (c.weights().total() / shards) / link;
        }
        if (r.optimizer().paged() && !offloadOpt && d.isGpu()) {
            double free = Math.max(0, FrameworkBudget.usable(c) - plan(c, n).perDevice());
            double spilled = Math.max(0, tm.states() / shards - free);
            cpuStep += 2 * spilled / link;
        }

        double comm = 0;
        if (n > 1 && r.dataParallel()) {
            double ring = 2.0 * (n - 1) / n;
            double net = c.cal(Param.TRAIN_COMM_GBS, dc) * 1e9;
            double model = c.weights().total() + (r.full() ? 0 : tm.weights());
            comm = zero == 3
                    ? ((r.checkpointing() ? 3 : 2) * model * (n - 1.0) / n + tm.grads() * (n - 1.0) / n) / net
                    : ring * tm.grads() / net;
        }
        double dispatch = a.layers() * (2 + (r.checkpointing() ? 1 : 0)) * c.cal(Param.TRAIN_LAYER_US, dc) * 1e-6;
        return new Terms(compute, memory, offload, cpuStep, comm, dispatch);
    }

    /** The matrix throughput training runs at: fp32 for full fp32 training, else PyTorch's 16-bit rate. */
    private static double peak(EstimateContext c) {
        Hardware d = c.device();
        TrainingRecipe r = c.training().recipe();
        if (r.precision() == Precision.FP32 && r.full()) {
            if (!(d.fp32Tflops() > 0)) {
                throw new InvalidScenarioException("fp32 training runs at the device's fp32 rate, and " + d.name()
                        + " gives none: add it to " + Input.DEVICE_SPEC.ref("fp32=..TFLOPS") + " or train in mixed precision");
            }
            return d.fp32Tflops();
        }
        return d.isGpu() ? Runtime.pytorchPeakTflops(d) : Math.max(d.fp16Tflops(), d.fp32Tflops());
    }

    /** The training-time model's inputs in words. */
    static String timeAssumption(EstimateContext c) {
        TrainingRecipe r = c.training().recipe();
        Terms t = terms(c);
        int n = c.s().deviceCount();
        DeviceClass dc = c.dc();
        StringBuilder sb = new StringBuilder(String.format("training time: %s FLOPs per token (%s) at %.2f of %.0f TFLOPS%s",
                r.full() ? "6 x P" : "4 x P (frozen base: no weight gradients)",
                r.checkpointing() ? "+ 2 x P recompute" : "no recompute",
                c.cal(Param.TRAIN_FLOPS_EFF, dc), peak(c),
                r.compile() ? String.format(", %.2fx faster compiled", c.cal(Param.TRAIN_COMPILE_SPEEDUP, dc)) : ""));
        sb.append(String.format(" = %.0f ms", 1000 * t.compute));
        if (t.dispatch > t.compute + t.memory) {
            sb.append(String.format("; the CPU's kernel launches take longer: %.0f ms (%.0f us per block per pass)",
                    1000 * t.dispatch, c.cal(Param.TRAIN_LAYER_US, dc)));
        }
        if (t.memory > 0) {
            sb.append(String.format("; memory traffic %.0f ms (%soptimizer step)", 1000 * t.memory,
                    c.storage().isBnb() ? "bitsandbytes dequantization, " : ""));
        }
        if (t.offload > 0) {
            sb.append(String.format("; host transfers beyond the overlap %.0f ms at %.0f GB/s", 1000 * t.offload,
                    c.cal(Param.OFFLOAD_GBS, dc)));
        }
        if (t.cpuStep > 0) {
            sb.append(String.format("; host memory (CPU offload, paged optimizer states that do not fit) %.0f ms",
                    1000 * t.cpuStep));
        }
        if (t.comm > 0) {
            sb.append(String.format("; %s over %d GPUs at %.0f GB/s: %.0f ms", r.zero() == 3 ? "gathers and reduce-scatters"
                    : "gradient all-reduce", n, c.cal(Param.TRAIN_COMM_GBS, dc), 1000 * t.comm));
        }
        if (n > 1 && r.dataParallel()) {
            sb.append("; each GPU its own micro-batch");
        }
        return sb.toString();
    }
}
