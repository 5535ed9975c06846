package gpupoor.calc;


import java.util.Collections;
import java.util.List;

/**
 * What a method says about a scenario. Parts the method cannot give for this scenario are null
 * and {@link #notes()} says why.
 *
 * @param method      id of the method that made it
 * @param memory      memory breakdown (null if unavailable)
 * @param speed       inference speed (null without a device, in training, or if unavailable)
 * @param training    training time per iteration (null unless training on a GPU)
 * @param gpusNeeded  devices of the chosen GPU needed to hold the total (null without a GPU)
 * @param notes       why a part is missing, and warnings (e.g. the original's disclaimers)
 * @param assumptions how the numbers were obtained, one line each (for {@code --explain})
 * @param budget      the runtime's memory rule applied to the device(s): fits, maximum concurrency and
 *                    context (null when the method does not model it, or without a device)
 */
public record Estimate(String method, MemoryBreakdown memory, Speed speed, TrainingTime training,
                       Integer gpusNeeded, List<String> notes, List<String> assumptions, Budget budget) {

    /**
     * Makes the lists unmodifiable views (not copies: a method may pass lines that are written
     * only when first read). The lines may refer to inputs ({@link Input#ref}); front ends render them.
     */
    public Estimate {
        notes = notes == null ? List.of() : Collections.unmodifiableList(notes);
        assumptions = assumptions == null ? List.of() : Collections.unmodifiableList(assumptions);
        checkResults(method, memory, speed, training, gpusNeeded, budget);
    }

    /**
     * The engine's promise, asserted before an estimate is returned: every figure is a finite number,
     * none is negative, times and speeds are above 0 (the accepted ranges, {@link Limits}, keep every
     * sum and product of the methods finite).
     *
     * @throws IllegalStateException naming the figure when a method breaks the promise (a bug, not bad input)
     */
    private static void checkResults(String method, MemoryBreakdown m, Speed s, TrainingTime t, Integer gpus, Budget b) {
        if (m != null) {
            atLeastZero(method, "total memory", m.totalMiB());
            atLeastZero(method, "KV cache", m.kvCacheMiB());
            atLeastZero(method, "weights", m.weightsMiB());
            atLeastZero(method, "activation memory", m.activationMiB());
            atLeastZero(method, "gradient and optimizer memory", m.gradOptimizerMiB());
            atLeastZero(method, "overhead", m.overheadMiB());
        }
        if (s != null) {
            aboveZero(method, "tokens per second", s.tokensPerSecond());
            aboveZero(method, "ms per token", s.msPerToken());
            atLeastZero(method, "prompt seconds", s.promptSeconds());
        }
        if (t != null) {
            aboveZero(method, "ms per iteration", t.msPerIteration());
        }
        if (gpus != null && gpus < 1) {
            throw broken(method, "GPUs needed", gpus);
        }
        if (b != null) {
            atLeastZero(method, "memory needed on the most loaded device", b.requiredMiB());
            if (!Double.isNaN(b.usableMiB())) {
                atLeastZero(method, "usable memory", b.usableMiB());
            }
        }
    }

    private static void atLeastZero(String method, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw broken(method, what, v);
        }
    }

    private static void aboveZero(String method, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw broken(method, what, v);
        }
    }

    private static IllegalStateException broken(String method, String what, Object v) {
        return new IllegalStateException("the " + method + " method computed " + what + " = " + v
                + ": an estimate is never negative, NaN or infinite (a bug in the calculator)");
    }

    /** An estimate without a budget (the gpu-poor method's). */
    public Estimate(String method, MemoryBreakdown memory, Speed speed, TrainingTime training,
                    Integer gpusNeeded, List<String> notes, List<String> assumptions) {
        this(method, memory, speed, training, gpusNeeded, notes, assumptions, null);
    }
}
