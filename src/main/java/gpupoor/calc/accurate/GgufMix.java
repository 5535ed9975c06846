package gpupoor.calc.accurate;

import gpupoor.calc.Quant;

/**
 * The storage type llama.cpp's quantizer ({@code llama_tensor_get_type} in {@code llama-quant.cpp})
 * gives each tensor of a GGUF file for a file type such as Q4_K_M: the mixes spend more bits on the
 * output head, on {@code attn_v} and {@code ffn_down} in selected layers
 * ({@code use_more_bits}: the first and last eighth and every third layer in between), on the
 * attention of 8-expert MoE models and of 70B models, and fall back to a 32-block type where a row
 * is not a multiple of 256. Norms and other vectors stay F32; MoE routers are never quantized; a
 * vision tower lives in a separate F16 {@code mmproj} file.
 */
final class GgufMix {
    private GgufMix() {
    }

    /**
     * The base type of a GGUF file type (the type of every tensor no rule singles out).
     *
     * @throws IllegalArgumentException for a non-GGUF quantization
     */
    public static GgufType baseType(Quant q) {
        return switch (q) {
            case GGUF_F16 -> GgufType.F16;
            case GGUF_F32 -> GgufType.F32;
            case IQ4_XS -> GgufType.IQ4_XS;
            case IQ4_NL -> GgufType.IQ4_NL;
            case Q8_0 -> GgufType.Q8_0;
            case Q8_1 -> GgufType.Q8_1;
            case Q6_K -> GgufType.Q6_K;
            case Q5_K_M, Q5_K_S -> GgufType.Q5_K;
            case Q5_1 -> GgufType.Q5_1;
            case Q5_0 -> GgufType.Q5_0;
            case Q4_K_M, Q4_K_S -> GgufType.Q4_K;
            case Q4_1 -> GgufType.Q4_1;
            case Q4_0 -> GgufType.Q4_0;
            case Q3_K_L, Q3_K_M, Q3_K_S -> GgufType.Q3_K;
            case Q2_K -> GgufType.Q2_K;
            default -> throw new IllegalArgumentException(q + " is not a GGUF file type");
        };
    }

    /** The type of tensor {@code t} of model {@code a} in a file of type {@code q}. */
    public static GgufType typeOf(Quant q, Architecture a, Tensor t) {
        if (!t.role().matrix() || t.role() == Tensor.Role.ROUTER) {
            return GgufType.F32;
        }
        if (t.role() == Tensor.Role.VISION) {
            return GgufType.F16;
        }
        GgufType base = baseType(q);
        if (base == GgufType.F16 || base == GgufType.F32) {
            return base;
        }
        GgufType type = chosen(q, a, t, base);
        if (t.cols() % type.blockSize() != 0) {
            type = type.fallback();
            if (t.cols() % type.blockSize() != 0) {
                type = GgufType.F16;
            }
        }
        return type;
    }

    /** {@link #position} bit: among the first two blocks. */
    private static final int FIRST_TWO = 1;
    /** {@link #position} bit: among the first four blocks. */
    private static final int FIRST_FOUR = 2;
    /** {@link #position} bit: in the first sixteenth of the blocks. */
    private static final int FIRST_16TH = 4;
    /** {@link #position} bit: in the first eighth of the blocks. */
    private static final int FIRST_8TH = 8;
    /** {@link #position} bit: {@link #useMoreBits}. */
    private static final int MORE_BITS = 16;

    /**
     * Where block {@code i} of {@code n} sits as far as the mixes care (the only way a tensor's type
     * depends on its block): blocks with the same position get the same types.
     */
    static int position(int i, int n) {
        return (i < 2 ? FIRST_TWO : 0) | (i < 4 ? FIRST_FOUR : 0) | (i < n / 16 ? FIRST_16TH : 0)
                | (i < n / 8 ? FIRST_8TH : 0) | (useMoreBits(i, n) ? MORE_BITS : 0);
    }

    private static GgufType chosen(Quant q, Architecture a, Tensor t, GgufType base) {
        boolean falcon = a.family() == ModelFamily.FALCON;
        boolean eightExperts = a.moe() != null && a.moe().experts() == 8;
        int n = a.layers();
        int p = position(t.layer(), n);
        boolean firstTwo = (p & FIRST_TWO) != 0;
        boolean firstFour = (p & FIRST_FOUR) != 0;
        boolean first16th = (p & FIRST_16TH) != 0;
        boolean first8th = (p & FIRST_8TH) != 0;
        boolean moreBits = (p & MORE_BITS) != 0;
        Tensor.Role role = t.role();
        if (role == Tensor.Role.OUTPUT || (role == Tensor.Role.TOKEN_EMBD && a.tiedEmbeddings())) {
            if (falcon || t.cols() % 256 != 0) {
                return GgufType.Q8_0;
            }
            return base == GgufType.Q8_0 || base == GgufType.Q8_1 ? base : GgufType.Q6_K;
        }
        switch (role) {
            case ATTN_V -> {
                GgufType type = switch (q) {
                    case Q2_K -> a.heads() / Math.max(1, a.kvHeads()) >= 4 ? GgufType.Q4_K : GgufType.Q3_K;
                    case Q3_K_M -> firstTwo ? GgufType.Q5_K : GgufType.Q4_K;
                    case Q3_K_L -> GgufType.Q5_K;
                    case Q4_K_M, Q5_K_M -> moreBits ? GgufType.Q6_K : base;
                    case Q4_K_S -> firstFour ? GgufType.Q5_K : base;
                    case IQ4_NL, IQ4_XS -> a.heads() / Math.max(1, a.kvHeads()) >= 4 ? GgufType.Q5_K : base;
                    default -> base;
                };
                if (n == 80 && a.family() == ModelFamily.LLAMA && (type == GgufType.Q3_K || type == GgufType.Q4_K)) {
                    type = GgufType.Q5_K;
                }
                return eightExperts ? GgufType.Q8_0 : type;
            }
            case ATTN_K -> {
                return eightExperts ? GgufType.Q8_0 : base;
            }
            case FFN_DOWN, FFN_DOWN_EXPS, FFN_DOWN_SHEXP -> {
                return switch (q) {
                    case Q2_K -> GgufType.Q3_K;
                    case Q3_K_M -> first16th ? GgufType.Q5_K : falcon && !moreBits ? GgufType.Q3_K : GgufType.Q4_K;
                    case Q3_K_L -> falcon ? GgufType.Q4_K : GgufType.Q5_K;
                    case Q4_K_M -> falcon ? (first16th ? GgufType.Q6_K : moreBits ? GgufType.Q5_K : base)
                            : moreBits ? GgufType.Q6_K : base;
                    case Q5_K_M -> moreBits ? GgufType.Q6_K : base;
                    case Q4_K_S -> !falcon && first8th ? GgufType.Q5_K : base;
                    case IQ4_NL, IQ4_XS -> first8th ? GgufType.Q5_K : base;
                    default -> base;
                };
            }
            case ATTN_OUTPUT -> {
                if (falcon) {
                    return q == Quant.Q3_K_L ? GgufType.Q4_K : base;
                }
                if (eightExperts) {
                    return switch (q) {
                        case Q2_K, Q3_K_S, Q3_K_M, Q4_K_S, Q4_K_M -> GgufType.Q5_K;
                        default -> base;
                    };
                }
                return switch (q) {
                    case Q2_K -> GgufType.Q3_K;
                    case Q3_K_M -> GgufType.Q4_K;
                    case Q3_K_L -> GgufType.Q5_K;
                    default -> base;
                };
            }
            case ATTN_QKV -> {
                return switch (q) {
                    case Q3_K_M, Q3_K_L -> GgufType.Q4_K;
                    case Q4_K_M -> GgufType.Q5_K;
                    case Q5_K_M -> GgufType.Q6_K;
                    default -> base;
                };
            }
            default -> {
                return base;
            }
        }
    }

    /** llama.cpp's {@code use_more_bits}: the first and last eighth of the layers and every third one between. */
    static boolean useMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }
}
