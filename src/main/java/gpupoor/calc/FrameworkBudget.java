package gpupoor.calc;

/**
 * What "fits" means for each runtime:
 * <ul>
 *   <li>vLLM takes {@code gpu_memory_utilization} of each GPU's total memory; what its weights,
 *       profiled activations, CUDA graphs and context leave becomes the KV-block pool, which must
 *       hold at least one sequence of the requested length; the pool decides the maximum
 *       concurrency and context;</li>
 *   <li>llama.cpp allocates exactly its buffers, which must fit in the card less what the driver keeps;</li>
 *   <li>Hugging Face grows as it goes: the peak must fit in the card less what the driver keeps;</li>
 *   <li>on Apple Silicon the GPU may wire only part of the unified memory (about two thirds on
 *       small configurations, three quarters on large ones, from the calibration); the CPU may use all of it;</li>
 *   <li>a CPU's memory is the user's choice, so fitting is not judged.</li>
 * </ul>
 */
public final class FrameworkBudget {
    private static final double MIB = 1024 * 1024;

    private FrameworkBudget() {
    }

    /** Bytes the runtime may use on one device; NaN when unknown (CPUs). */
    public static double usable(Scenario s, DeviceClass dc, Calibration cal) {
        Hardware d = s.device();
        double total = d.memoryGiB() * 1024 * MIB;
        return switch (dc) {
            case GPU_GDDR, GPU_HBM -> s.framework() == Framework.VLLM
                    ? s.options().gpuMemoryUtilization() * total
                    : total - cal.get("gpu_reserved_mib", s.framework(), dc) * MIB;
            case APPLE_GPU -> total * (d.memoryGiB() >= cal.get("apple_large_min_gib", null, dc)
                    ? cal.get("apple_gpu_fraction_large", null, dc) : cal.get("apple_gpu_fraction_small", null, dc));
            case APPLE_CPU -> total - cal.get("apple_os_reserved_mib", null, dc) * MIB;
            case CPU -> total > 0 ? total : Double.NaN;
        };
    }

    /** The budget of a plan on its device(s). */
    public static Budget of(Scenario s, DeviceClass dc, MemoryPlan plan, KvCache kv, Calibration cal) {
        double usable = usable(s, dc, cal);
        String rule = rule(s, dc);
        if (Double.isNaN(usable)) {
            return new Budget(Double.NaN, plan.perDevice() / MIB, null, null, null, plan.context() / MIB, rule);
        }
        Workload w = s.workload();
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
        if (s.framework() == Framework.VLLM) {
            required = plan.perDeviceFixed() + perSequence;
            fits = avail >= perSequence;
        } else {
            required = plan.perDevice();
            fits = required <= usable;
        }
        return new Budget(usable / MIB, required / MIB, fits, concurrency, context, plan.context() / MIB, rule);
    }

    private static String rule(Scenario s, DeviceClass dc) {
        return switch (dc) {
            case APPLE_GPU -> "the Apple GPU may wire part of the unified memory";
            case APPLE_CPU -> "the Apple CPU cores may use the unified memory less what macOS keeps";
            case CPU -> "a CPU's system memory is not known, so fitting is not judged";
            default -> s.framework() == Framework.VLLM
                    ? "vLLM takes gpu_memory_utilization " + s.options().gpuMemoryUtilization()
                    + " of each GPU and gives what weights, activations and graphs leave to the KV pool"
                    : s.framework().label() + " may use the card's memory less what the driver keeps";
        };
    }
}
