package gpupoor.calc;

import java.util.List;
import java.util.Locale;

/**
 * The key/value cache of one model under one runtime: per layer and KV head, in the cache's
 * element type (f16, fp8, or llama.cpp's q8_0/q4_0 blocks), with sliding-window layers holding at
 * most their window. MLA models cache the compressed latent under vLLM and llama.cpp and the
 * decompressed keys and values under Hugging Face. vLLM rounds each sequence up to 16-token
 * blocks; llama.cpp pads its context to 256 tokens with flash attention, 32 without.
 *
 * @param fullBytesPerToken    bytes per token of all full-attention layers
 * @param slidingBytesPerToken bytes per token of all sliding-window layers
 * @param window               the sliding window (tokens)
 * @param type                 the cache element type, e.g. {@code f16}
 * @param elementBytes         bytes per cached element
 */
public record KvCache(double fullBytesPerToken, double slidingBytesPerToken, int window, String type,
                      double elementBytes) {

    /** Cache element types the default method knows. */
    public static final List<String> TYPES = List.of("f16", "bf16", "f32", "fp8", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1");

    /** vLLM's KV block size in tokens. */
    public static final int VLLM_BLOCK = 16;

    /**
     * The cache of a model: {@code cacheType} for vLLM and llama.cpp; Hugging Face caches in the
     * weights' compute type (fp32 for fp32 weights, else 16-bit).
     *
     * @throws InvalidScenarioException for an unknown cache type, or a quantized cache with vLLM or HF
     */
    public static KvCache of(Architecture a, Framework framework, Quant quant, String cacheType) {
        String t = normalize(cacheType);
        if (framework == Framework.HF) {
            t = quant == Quant.FP32 ? "f32" : "f16";
        } else if (framework == Framework.VLLM && t.startsWith("q")) {
            throw new InvalidScenarioException("vLLM caches keys and values in f16 or fp8, not " + cacheType
                    + "; accepted with vllm: f16, fp8");
        }
        double element = elementBytes(t);
        boolean latent = framework != Framework.HF;
        boolean windows = framework != Framework.HF || a.slidingLayers() < a.attentionLayers();
        double perLayer = a.kvElementsPerLayer(latent) * element;
        int sliding = windows && a.slidingWindow() > 0 ? a.slidingLayers() : 0;
        int full = a.attentionLayers() - sliding;
        return new KvCache(full * perLayer, sliding * perLayer, sliding > 0 ? a.slidingWindow() : 0, t, element);
    }

    /** Bytes per cached element of a type ({@code q8_0}: 34 bytes per 32, {@code q4_0}: 18 per 32). */
    public static double elementBytes(String type) {
        return switch (normalize(type)) {
            case "f32" -> 4;
            case "f16", "bf16" -> 2;
            case "fp8" -> 1;
            case "q8_0" -> 34.0 / 32;
            case "q4_0" -> 18.0 / 32;
            case "q4_1" -> 20.0 / 32;
            case "q5_0" -> 22.0 / 32;
            case "q5_1" -> 24.0 / 32;
            default -> throw new InvalidScenarioException("unknown KV cache type '" + type + "'; accepted: "
                    + String.join(", ", TYPES) + Names.didYouMean(type, TYPES));
        };
    }

    private static String normalize(String type) {
        String t = type == null ? "f16" : type.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "", "auto", "fp16", "float16", "half" -> "f16";
            case "bfloat16" -> "bf16";
            case "fp32", "float32" -> "f32";
            case "fp8_e4m3", "fp8_e5m2", "f8", "float8" -> "fp8";
            default -> t;
        };
    }

    /** Bytes of one sequence holding {@code tokens} tokens (sliding layers hold at most their window). */
    public double bytes(long tokens) {
        return fullBytesPerToken * tokens + slidingBytesPerToken * Math.min(tokens, window);
    }

    /** The most tokens of one sequence whose cache fits in {@code bytes}. */
    public long tokensFitting(double bytes) {
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
    public double bytesPerToken() {
        return fullBytesPerToken + slidingBytesPerToken;
    }

    /**
     * What the runtime allocates for {@code sequences} sequences of {@code tokens} tokens:
     * vLLM in 16-token blocks per sequence; llama.cpp one context of all sequences' tokens, padded
     * to 256 (flash attention) or 32; Hugging Face exactly what it holds.
     */
    public double allocated(Framework framework, long tokens, int sequences, boolean flashAttention) {
        return switch (framework) {
            case VLLM -> sequences * bytes(roundUp(tokens, VLLM_BLOCK));
            case LLAMA_CPP -> bytes(roundUp(tokens * sequences, flashAttention ? 256 : 32));
            default -> sequences * bytes(tokens);
        };
    }

    /** {@code n} rounded up to a multiple of {@code m}. */
    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
