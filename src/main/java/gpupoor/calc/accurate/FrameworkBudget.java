package gpupoor.calc.accurate;

import gpupoor.calc.Budget;
import gpupoor.calc.Hardware;
import gpupoor.calc.KvPool;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

/**
 * What "fits" means on each kind of device:
 * <ul>
 *   <li>on a GPU, the runtime's rule ({@link Runtime#usableGpuBytes}): the card less what the driver
 *       keeps, or a serving runtime's share ({@code gpu_memory_utilization}), whose remainder after
 *       the terms that come first is a KV pool ({@link Runtime#pool}) that must hold one sequence of
 *       {@code max_model_len} to start and the whole batch at once to run it as asked;</li>
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

    /**
     * Whether a plan fits on the estimate's device(s), of which the runtime may use {@code usable}
     * bytes each ({@link #usable}, the same for any number of them): a budget's verdict, without the
     * budget (the fewest-GPUs search asks this of several device counts per estimate).
     */
    static boolean fits(EstimateContext c, MemoryPlan plan, double usable) {
        if (Double.isNaN(usable)) {
            return false;
        }
        return c.runtime().poolsKvCache() ? Boolean.TRUE.equals(pooled(c, plan, usable, null).fits()) : holds(plan, usable);
    }

    /** Whether what a plan needs on its most loaded device is within what the runtime may use there. */
    private static boolean holds(MemoryPlan plan, double usable) {
        return plan.perDevice() <= usable;
    }

    /** The budget of a plan on the estimate's device(s), of which the runtime may use {@code usable} bytes each ({@link #usable}). */
    static Budget of(EstimateContext c, MemoryPlan plan, double usable) {
        String rule = rule(c);
        if (Double.isNaN(usable)) {
            return new Budget(Double.NaN, plan.perDevice() / MIB, null, null, null, plan.context() / MIB, rule);
        }
        Workload w = c.w();
        if (c.runtime().poolsKvCache()) {
            return pooled(c, plan, usable, rule);
        }
        KvCache kv = c.kv();
        double avail = usable - plan.perDeviceFixed();
        double perSequence = plan.kvPerDevice() / w.batch();
        double onePerToken = kv.bytes(w.totalTokens());
        double scale = onePerToken > 0 ? perSequence / onePerToken : 0;
        Integer concurrency = null;
        Integer context = null;
        if (avail > 0 && perSequence > 0 && !w.isTraining()) {
            concurrency = (int) Math.min(Integer.MAX_VALUE, (long) (avail / perSequence));  // (long) floors a positive quotient
            context = (int) Math.min(Integer.MAX_VALUE, kv.tokensFitting(avail / scale));
        }
        return new Budget(usable / MIB, plan.perDevice() / MIB, holds(plan, usable), concurrency, context, plan.context() / MIB,
                rule);
    }

    /**
     * A pooled runtime's budget: the runtime starts when its pool holds one sequence of
     * {@code max_model_len}, and the scenario runs as asked when the pool (and the scheduler's
     * {@code max_num_seqs}) hold its whole batch at once; the most sequences of its length the pool
     * holds is the maximum concurrency.
     */
    private static Budget pooled(EstimateContext c, MemoryPlan plan, double usable, String rule) {
        Workload w = c.w();
        KvPool pool = c.runtime().pool(c, plan, usable);
        int block = c.runtime().poolBlockTokens();
        long sequence = KvCache.roundUp(w.totalTokens(), block);
        long start = KvCache.roundUp(pool.maxModelLen(), block);
        int concurrency = pool.concurrency(w.totalTokens(), block);
        boolean fits = pool.kvCacheTokens() >= start && concurrency >= w.batch();
        double perToken = plan.kvPerDevice() / ((double) w.batch() * sequence);
        double required = plan.perDeviceFixed() + perToken * Math.max(start, (double) w.batch() * sequence);
        Integer context = pool.kvCacheTokens() > 0 ? (int) Math.min(Integer.MAX_VALUE, pool.kvCacheTokens()) : null;
        return new Budget(usable / MIB, required / MIB, fits, concurrency > 0 ? concurrency : null, context,
                plan.context() / MIB, rule, pool);
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
