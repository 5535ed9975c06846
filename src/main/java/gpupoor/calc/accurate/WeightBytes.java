package gpupoor.calc.accurate;

import gpupoor.calc.Quant;
import gpupoor.calc.ModelSpec;

import java.util.Map;

/**
 * The bytes of a model's weights under a storage format, tensor by tensor:
 * <ul>
 *   <li>fp32 / fp16-bf16 / fp8 (fp8 keeps embeddings, head and vectors in 16 bits, plus fp32 scales per 128×128 block);</li>
 *   <li>bitsandbytes LLM.int8 (int8 + an fp32 scale per row) and NF4 (4 bits + an fp32 absmax per 64;
 *       with double quantization an int8 absmax per 64 and an fp32 one per 256 blocks), embeddings and head in 16 bits;</li>
 *   <li>GPTQ/AWQ with group size 128 (packed weights + an fp16 scale and a packed zero per group and column;
 *       GPTQ also an int32 group index per input row), embeddings and head in 16 bits;</li>
 *   <li>GGUF file types with llama.cpp's per-tensor mixes ({@link GgufMix}).</li>
 * </ul>
 * With quantization {@code none} a checkpoint published in a quantized format (its config's
 * {@code quantization_config}: DeepSeek-V3's fp8, gpt-oss's MXFP4 experts) is taken as published.
 *
 * @param quant          the storage format
 * @param format         how it was applied, in words (for the assumptions)
 * @param total          every byte
 * @param tokenEmbedding input (and position) embeddings
 * @param head           the LM head (0 when tied to the embedding)
 * @param layers         per block
 * @param denseActive    bytes read per decode step outside the routed experts (decoder only, head included)
 * @param perExpert      bytes of one routed expert summed over the MoE layers
 */
record WeightBytes(Quant quant, String format, double total, double tokenEmbedding, double head, double[] layers,
                          double denseActive, double perExpert) {

    private static final double BNB_NF4 = 0.5 + 4.0 / 64;
    private static final double BNB_NF4_DOUBLE = 0.5 + 1.0 / 64 + 4.0 / (64 * 256);
    private static final double GROUP = 128;

    /** Copies the array. */
    public WeightBytes {
        layers = layers.clone();
    }

    /** Bytes of block {@code i}. */
    public double layer(int i) {
        return layers[i];
    }

    /** Bytes of the blocks, all together. */
    public double allLayers() {
        double sum = 0;
        for (double b : layers) {
            sum += b;
        }
        return sum;
    }

    /** Bytes of the tensors outside the blocks (embeddings, head, final norm). */
    public double outsideLayers() {
        return total - allLayers();
    }

    /** Average bits per parameter. */
    public double bitsPerParam(Architecture a) {
        return 8 * total / a.totalParams();
    }

    /**
     * Bytes read from memory per decode step of {@code batch} sequences: the decoder's weights with
     * the routed experts that the batch's tokens select, and the LM head (also when tied).
     */
    public double activeBytes(Architecture a, int batch) {
        double head = a.tiedEmbeddings() ? tokenEmbedding : 0;
        return denseActive + head + perExpert * a.expertsTouched(batch);
    }

    /**
     * The weights of a model stored as {@code quant}.
     *
     * @param qlora whether bitsandbytes NF4 uses double quantization (QLoRA's setting; plain 4-bit
     *              loading in transformers does not)
     */
    public static WeightBytes of(Architecture a, ModelSpec model, Quant quant, boolean qlora) {
        String nativeFormat = quant == Quant.NONE ? nativeFormat(model) : null;
        double total = 0;
        double embedding = 0;
        double head = 0;
        double dense = 0;
        double expert = 0;
        double[] layers = new double[a.layers()];
        for (Tensor t : a.tensors()) {
            double b = bytes(a, quant, nativeFormat, qlora, t);
            total += b;
            switch (t.role()) {
                case TOKEN_EMBD, POS_EMBD -> embedding += b;
                case OUTPUT -> head += b;
                default -> { }
            }
            if (t.layer() >= 0) {
                layers[t.layer()] += b;
            }
            boolean decoderWeight = !a.isEncoder(t) && t.role() != Tensor.Role.TOKEN_EMBD && t.role() != Tensor.Role.POS_EMBD;
            if (decoderWeight && t.role().routedExpert()) {
                expert += b / t.copies();
            } else if (decoderWeight) {
                dense += b;
            }
        }
        return new WeightBytes(quant, describe(quant, nativeFormat, qlora), total, embedding, head, layers, dense, expert);
    }

    /** {@code fp8} or {@code mxfp4} when the config says the checkpoint is published that way, else null. */
    static String nativeFormat(ModelSpec model) {
        if (model.config().get("quantization_config") instanceof Map<?, ?> qc
                && qc.get("quant_method") instanceof String method) {
            return switch (method.toLowerCase(java.util.Locale.ROOT)) {
                case "fp8" -> "fp8";
                case "mxfp4" -> "mxfp4";
                default -> null;
            };
        }
        return null;
    }

    private static double bytes(Architecture a, Quant q, String nativeFormat, boolean qlora, Tensor t) {
        long n = t.params();
        boolean matrix = t.role().matrix() && t.role() != Tensor.Role.ROUTER;
        boolean keep16 = !matrix || t.role().embeddingOrHead();
        if (q.isGguf()) {
            GgufType type = GgufMix.typeOf(q, a, t);
            return type.bytes(t.rows() * t.copies(), t.cols());
        }
        if (q == Quant.NONE && nativeFormat != null) {
            if (nativeFormat.equals("mxfp4") && t.role().routedExpert()) {
                return GgufType.MXFP4.bytes(t.rows() * t.copies(), t.cols());
            }
            if (nativeFormat.equals("fp8") && !keep16) {
                return n * (1 + 4.0 / (128 * 128));
            }
            return 2.0 * n;
        }
        if (q == Quant.FP32) {
            return 4.0 * n;
        }
        if (q == Quant.NONE || keep16) {
            return 2.0 * n;
        }
        return switch (q) {
            case FP8 -> n * (1 + 4.0 / (128 * 128));
            case BNB_INT8 -> n + 4.0 * t.rows() * t.copies();
            case BNB_NF4 -> n * (qlora ? BNB_NF4_DOUBLE : BNB_NF4);
            case GPTQ_INT4 -> n * (0.5 + 2.5 / GROUP) + 4.0 * t.cols() * t.copies();
            case GPTQ_INT8 -> n * (1 + 3.0 / GROUP) + 4.0 * t.cols() * t.copies();
            case AWQ_INT4 -> n * (0.5 + 2.5 / GROUP);
            default -> 2.0 * n;
        };
    }

    private static String describe(Quant q, String nativeFormat, boolean qlora) {
        if (q.isGguf()) {
            return "GGUF " + q.id().substring(5) + " with llama.cpp's per-tensor types (output head Q6_K or Q8_0, "
                    + "more bits for attn_v/ffn_down in the K-quant _M/_S/_L mixes), norms F32";
        }
        if (nativeFormat != null) {
            return nativeFormat.equals("fp8") ? "the checkpoint's fp8 (e4m3, 128x128 block scales); embeddings, head and norms bf16"
                    : "the checkpoint's MXFP4 experts (4.25 bits); attention, router, embeddings and head bf16";
        }
        return switch (q) {
            case FP32 -> "fp32 (4 bytes per parameter)";
            case NONE -> "fp16/bf16 (2 bytes per parameter)";
            case FP8 -> "fp8 linear layers (1 byte + block scales); embeddings, head and norms 16-bit";
            case BNB_INT8 -> "bitsandbytes LLM.int8: int8 linear layers + fp32 row scales; embeddings, head and norms 16-bit";
            case BNB_NF4 -> qlora ? "bitsandbytes NF4 with double quantization (4.127 bits); embeddings, head and norms 16-bit"
                    : "bitsandbytes NF4 (4 bits + fp32 absmax per 64 = 4.5 bits); embeddings, head and norms 16-bit";
            case GPTQ_INT4, GPTQ_INT8, AWQ_INT4 -> q.id() + " group size 128 (packed weights + fp16 scales + packed zeros); "
                    + "embeddings, head and norms 16-bit";
            default -> q.id();
        };
    }
}
