package gpupoor.calc;

/**
 * A serving runtime's start-up budget on one device, term by term, as vLLM logs it: of
 * {@code gpu_memory_utilization} × the GPU's memory, the weights, the activation peak of its profiling
 * pass and the memory allocated outside PyTorch come first, and the rest becomes the KV-cache pool;
 * CUDA graphs are captured afterwards, outside the budget.
 *
 * @param budgetMiB         the memory the runtime takes on the device ({@code gpu_memory_utilization} × total)
 * @param weightsMiB        weights on the device (vLLM: with the LoRA buffers it reserves)
 * @param activationPeakMiB the activation peak of the profiling pass
 * @param nonTorchMiB       memory allocated outside PyTorch (NCCL and all-reduce buffers, library workspaces)
 * @param cudaGraphsMiB     CUDA graph memory, captured after the pool is sized (0 in eager mode)
 * @param kvCacheMiB        the KV-cache pool: the budget less the terms above (negative: the model does not fit)
 * @param kvCacheTokens     tokens the pool holds (whole blocks); with tensor parallelism each device holds its
 *                          share of every token
 * @param maxNumSeqs        the most sequences the scheduler runs at once
 * @param maxModelLen       the sequence length the pool must hold one of at start-up
 */
public record KvPool(double budgetMiB, double weightsMiB, double activationPeakMiB, double nonTorchMiB,
                     double cudaGraphsMiB, double kvCacheMiB, long kvCacheTokens, int maxNumSeqs, int maxModelLen) {

    /** The sequences of {@code tokens} tokens the pool holds at once, capped by {@link #maxNumSeqs} (0 when none). */
    public int concurrency(long tokensPerSequence, int blockTokens) {
        long perSequence = Math.max(1, (tokensPerSequence + blockTokens - 1) / blockTokens * blockTokens);
        return (int) Math.max(0, Math.min(maxNumSeqs, kvCacheTokens / perSequence));
    }
}
