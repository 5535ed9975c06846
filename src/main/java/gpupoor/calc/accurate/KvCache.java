package gpupoor.calc.accurate;

import gpupoor.calc.KvCacheType;

/**
 * The key/value cache of one model as a runtime holds it: per attention layer and KV head, in the
 * cache's element type, with sliding-window (and chunked) layers holding at most their window;
 * blocks without attention (Mamba, Gated DeltaNet) hold instead a fixed state per sequence. Whether
 * MLA models cache the compressed latent, whether sliding windows are honoured and the state's
 * element size are the runtime's choices ({@link Runtime#latentCache}, {@link Runtime#windowedCache},
 * {@link Runtime#stateElementBytes}); how many tokens it allocates is {@link Runtime#kvAllocated}.
 *
 * @param fullBytesPerToken    bytes per token of all full-attention layers
 * @param slidingBytesPerToken bytes per token of all sliding-window layers
 * @param window               the sliding window (tokens)
 * @param type                 the cache element type
 * @param stateBytes           bytes of the recurrent state of one sequence (0 without recurrent blocks)
 */
record KvCache(double fullBytesPerToken, double slidingBytesPerToken, int window, KvCacheType type, double stateBytes) {

    /** More tokens than any sequence holds: the answer of {@link #tokensFitting} when the cache does not grow. */
    static final long UNBOUNDED = Long.MAX_VALUE / 2;

    /**
     * The cache of a model.
     *
     * @param latent            for MLA models: cache the compressed latent rather than per-head keys and values
     * @param windows           whether sliding-window layers hold only their window
     * @param stateElementBytes bytes per element of the recurrent state
     */
    static KvCache of(Architecture a, KvCacheType type, boolean latent, boolean windows, double stateElementBytes) {
        double perLayer = a.attentionLayers() > 0 ? a.kvElementsPerLayer(latent) * type.elementBytes() : 0;
        int sliding = windows && a.slidingWindow() > 0 ? a.slidingLayers() : 0;
        int full = a.attentionLayers() - sliding;
        return new KvCache(full * perLayer, sliding * perLayer, sliding > 0 ? a.slidingWindow() : 0, type,
                a.recurrentElements() * stateElementBytes);
    }

    /** Bytes of one sequence holding {@code tokens} tokens: its keys and values and its recurrent state. */
    double bytes(long tokens) {
        return attentionBytes(tokens) + stateBytes;
    }

    /** Bytes of the keys and values of {@code tokens} tokens (sliding layers hold at most their window). */
    double attentionBytes(long tokens) {
        return fullBytesPerToken * tokens + slidingBytesPerToken * Math.min(tokens, window);
    }

    /** The most tokens of one sequence whose cache (and state) fits in {@code bytes}. */
    long tokensFitting(double bytes) {
        double b = bytes - stateBytes;
        if (b <= 0) {
            return 0;
        }
        double perToken = bytesPerToken();
        if (perToken == 0) {
            return UNBOUNDED;
        }
        if (b <= perToken * window) {
            return (long) (b / perToken);
        }
        if (fullBytesPerToken == 0) {
            return UNBOUNDED;
        }
        return (long) ((b - slidingBytesPerToken * window) / fullBytesPerToken);
    }

    /** Bytes per token while the context is shorter than any window. */
    double bytesPerToken() {
        return fullBytesPerToken + slidingBytesPerToken;
    }

    /** {@code n} rounded up to a multiple of {@code m}. */
    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
