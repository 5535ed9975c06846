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
    }

    /** An estimate without a budget (the gpu-poor method's). */
    public Estimate(String method, MemoryBreakdown memory, Speed speed, TrainingTime training,
                    Integer gpusNeeded, List<String> notes, List<String> assumptions) {
        this(method, memory, speed, training, gpusNeeded, notes, assumptions, null);
    }
}
