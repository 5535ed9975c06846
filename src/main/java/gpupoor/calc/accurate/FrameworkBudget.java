package gpupoor.calc.accurate;

import gpupoor.calc.Budget;
import gpupoor.calc.Hardware;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

/**
 * What "fits" means on each kind of device:
 * <ul>
 *   <li>on a GPU, the runtime's rule ({@link Runtime#usableGpuBytes}): the card less what the driver
 *       keeps, or vLLM's {@code gpu_memory_utilization} share, whose remainder after weights,
 *       activations and graphs is a KV pool that must hold one sequence ({@link Runtime#poolsKvCache});</li>
 *   <li>on Apple Silicon the GPU may wire only part of the unified memory (about two thirds on
 *       small configurations, three quarters on large ones, from the calibration); the CPU may use all of it;</li>
 *   <li>a CPU's memory is the user's choice, so fitting is not judged.</li>
 * </ul>
 */
final class FrameworkBudget {
    private static final double MIB = 1024 * 1024;

    private FrameworkBudget() {
    }

    /** Bytes the runtime may use on one device; NaN when unknown (CPUs). */
    static double usable(EstimateContext c) {
        Hardware d = c.device();
        DeviceClass dc = c.dc();
        double total = d.memoryGiB() * 1024 * MIB;
        return switch (dc) {
            case GPU_GDDR, GPU_HBM -> c.runtime().usableGpuBytes(c, dc, total);
            case APPLE_GPU -> total * (d.memoryGiB() >= c.cal().get(Param.APPLE_LARGE_MIN_GIB, null, dc)
                    ? c.cal().get(Param.APPLE_GPU_FRACTION_LARGE, null, dc) : c.cal().get(Param.APPLE_GPU_FRACTION_SMALL, null, dc));
            case APPLE_CPU -> total - c.cal().get(Param.APPLE_OS_RESERVED_MIB, null, dc) * MIB;
            case CPU -> total > 0 ? total : Double.NaN;
        };
    }

    /** The budget of a plan on the estimate's device(s). */
    static Budget of(EstimateContext c, MemoryPlan plan) {
        double usable = usable(c);
        String rule = rule(c);
        if (Double.isNaN(usable)) {
            return new Budget(Double.NaN, plan.perDevice() / MIB, null, null, null, plan.context() / MIB, rule);
        }
        Workload w = c.w();
        KvCache kv = c.kv();
        double avail = usable - plan.perDeviceFixed();
        double perSequence = plan.kvPerDevice() / w.batch();
        double onePerToken = kv.bytes(w.totalTokens());
        double scale = onePerToken > 0 ? perSequence / onePerToken : 0;
        Integer concurrency = null;
        Integer context = null;
        if (avail > 0 && perSequence > 0 && !w.isTraining()) {
            concurrency = (int) Math.min(Integer.MAX_VALUE, Math.floor(avail / perSequence));
            context = (int) Math.min(Integer.MAX_VALUE, kv.tokensFitting(avail / scale));
        }
        boolean fits;
        double required;
        if (c.runtime().poolsKvCache()) {
            required = plan.perDeviceFixed() + perSequence;
            fits = avail >= perSequence;
        } else {
            required = plan.perDevice();
            fits = required <= usable;
        }
        return new Budget(usable / MIB, required / MIB, fits, concurrency, context, plan.context() / MIB, rule);
    }

    private static String rule(EstimateContext c) {
        return switch (c.dc()) {
            case APPLE_GPU -> "the Apple GPU may wire part of the unified memory";
            case APPLE_CPU -> "the Apple CPU cores may use the unified memory less what macOS keeps";
            case CPU -> "a CPU's system memory is not known, so fitting is not judged";
            default -> c.runtime().gpuRule(c);
        };
    }
}
