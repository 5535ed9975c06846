package gpupoor.calc;

/**
 * What the runtime's memory rule says about a scenario on its device(s), per device.
 *
 * @param usableMiB         memory the runtime may use on one device (vLLM: {@code gpu_memory_utilization} of
 *                          the total; Apple: the GPU's wired-memory limit; others: the card less what the
 *                          driver keeps)
 * @param requiredMiB       what the scenario needs on its most loaded device (for vLLM: before the KV pool)
 * @param fits              whether the runtime would load and run it (null when the device's memory is unknown)
 * @param maxConcurrency    sequences of this length whose KV cache fits next to the weights (vLLM's
 *                          "maximum concurrency"), null when nothing fits
 * @param maxContextTokens  the longest single sequence whose KV cache fits, null when nothing fits
 * @param runtimeContextMiB the CUDA/driver context included in the totals (memory a PyTorch allocator or
 *                          llama.cpp's buffer log does not report)
 * @param rule              the rule applied, in words
 * @param pool              a serving runtime's start-up budget term by term (vLLM and its kin), else null
 */
public record Budget(double usableMiB, double requiredMiB, Boolean fits, Integer maxConcurrency,
                     Integer maxContextTokens, double runtimeContextMiB, String rule, KvPool pool) {

    /** A budget without a KV pool (runtimes that allocate the cache the scenario needs). */
    public Budget(double usableMiB, double requiredMiB, Boolean fits, Integer maxConcurrency, Integer maxContextTokens,
                  double runtimeContextMiB, String rule) {
        this(usableMiB, requiredMiB, fits, maxConcurrency, maxContextTokens, runtimeContextMiB, rule, null);
    }
}
