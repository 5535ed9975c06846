package gpupoor.calc;

/**
 * Memory needed, in MiB (2^20 bytes), by component.
 *
 * @param totalMiB         everything
 * @param kvCacheMiB       KV cache
 * @param weightsMiB       model weights (incl. quantization scales and kept-in-16-bit parts)
 * @param activationMiB    activations / compute buffers
 * @param gradOptimizerMiB gradients and optimizer states (training)
 * @param overheadMiB      CUDA context, allocator and framework overhead
 */
public record MemoryBreakdown(double totalMiB, double kvCacheMiB, double weightsMiB, double activationMiB,
                              double gradOptimizerMiB, double overheadMiB) {
}
