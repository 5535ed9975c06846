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
 * @param hostAllocatedMiB host memory the runtime allocates beside the device(s): llama.cpp's buffers on the
 *                         CPU (repacked weights, KV cache and compute buffers of layers left on the CPU, its
 *                         output buffer), weights read without mmap; on a CPU, everything but the mapped file
 * @param hostMappedMiB    host memory mapped from the model file (llama.cpp's mmap: resident as page cache,
 *                         read-only, droppable where a repacked copy replaces it)
 */
public record MemoryBreakdown(double totalMiB, double kvCacheMiB, double weightsMiB, double activationMiB,
                              double gradOptimizerMiB, double overheadMiB, double hostAllocatedMiB, double hostMappedMiB) {

    /** A breakdown without host memory (the runtime keeps nothing beside the device). */
    public MemoryBreakdown(double totalMiB, double kvCacheMiB, double weightsMiB, double activationMiB,
                           double gradOptimizerMiB, double overheadMiB) {
        this(totalMiB, kvCacheMiB, weightsMiB, activationMiB, gradOptimizerMiB, overheadMiB, 0, 0);
    }

    /** Host memory in all: allocated and mapped. */
    public double hostMiB() {
        return hostAllocatedMiB + hostMappedMiB;
    }
}
