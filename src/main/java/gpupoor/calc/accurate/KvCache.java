package gpupoor.calc.accurate;

import gpupoor.calc.KvCacheType;

/**
 * The key/value cache of one model as a runtime holds it: per layer and KV head, in the cache's
 * element type, with sliding-window layers holding at most their window. Whether MLA models cache
 * the compressed latent and whether sliding windows are honoured are the runtime's choices
 * ({@link Runtime#latentCache}, {@link Runtime#windowedCache}); how many tokens it allocates is
 * {@link Runtime#kvAllocated}.
 *
 * @param fullBytesPerToken    bytes per token of all full-attention layers
 * @param slidingBytesPerToken bytes per token of all sliding-window layers
 * @param window               the sliding window (tokens)
 * @param type                 the cache element type
 */
record KvCache(double fullBytesPerToken, double slidingBytesPerToken, int window, KvCacheType type) {

    /**
     * The cache of a model.
     *
     * @param latent  for MLA models: cache the compressed latent rather than per-head keys and values
     * @param windows whether sliding-window layers hold only their window
     */
    static KvCache of(Architecture a, KvCacheType type, boolean latent, boolean windows) {
        double perLayer = a.kvElementsPerLayer(latent) * type.elementBytes();
        int sliding = windows && a.slidingWindow() > 0 ? a.slidingLayers() : 0;
        int full = a.attentionLayers() - sliding;
        return new KvCache(full * perLayer, sliding * perLayer, sliding > 0 ? a.slidingWindow() : 0, type);
    }

    /** Bytes of one sequence holding {@code tokens} tokens (sliding layers hold at most their window). */
    double bytes(long tokens) {
        return fullBytesPerToken * tokens + slidingBytesPerToken * Math.min(tokens, window);
    }

    /** The most tokens of one sequence whose cache fits in {@code bytes}. */
    long tokensFitting(double bytes) {
        if (bytes <= 0) {
            return 0;
        }
        double perToken = bytesPerToken();
        if (bytes <= perToken * window || fullBytesPerToken == 0) {
            return fullBytesPerToken == 0 && bytes > perToken * window ? Long.MAX_VALUE / 2 : (long) (bytes / perToken);
        }
        return (long) ((bytes - slidingBytesPerToken * window) / fullBytesPerToken);
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
