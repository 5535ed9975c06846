package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.NumberText;
import gpupoor.calc.Quant;
import gpupoor.calc.ServingOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one family of quantizations stores a model's weights: the bytes of each tensor, which
 * tensors it keeps in 16 bits, what it is in words, and whether the runtime's kernels dequantize
 * (the speed model's class). A new format is one subclass plus its {@link Quant} parse name,
 * registered in {@link #of}; a new GGUF type is one row of {@link GgufType}.
 */
abstract class WeightFormat {

    /** Bytes of tensor {@code t} of model {@code a}. */
    abstract double bytes(Architecture a, Tensor t);

    /**
     * A tensor with its bytes in this format.
     *
     * @param tensor the tensor
     * @param bytes  its bytes
     */
    record Sized(Tensor tensor, double bytes) {
    }

    /**
     * A model's tensors with their bytes: those outside the blocks, and the blocks in a few kinds
     * whose blocks all hold the same bytes.
     *
     * @param outside tensors outside the blocks
     * @param leading how many of them come before the blocks in the model's order
     * @param kinds   the tensors of one block of each kind (the block index they carry is that block's)
     * @param kindOf  for each block, the index of its kind in {@code kinds} (not copied: never modified)
     */
    record Sizes(List<Sized> outside, int leading, List<List<Sized>> kinds, int[] kindOf) {
    }

    /**
     * The model's tensors with their bytes: the architecture's, each sized by {@link #bytes} once
     * per kind of block, a kind being a block shape ({@link Architecture#block}) at one
     * {@link #layerClass}.
     */
    Sizes sized(Architecture a) {
        List<Sized> outside = sized(a, a.outside());
        int[] kindOf = new int[a.layers()];
        List<List<Sized>> kinds = new ArrayList<>();
        int[] shapes = new int[8];
        int[] classes = new int[8];
        for (int i = 0; i < a.layers(); i++) {
            int shape = a.blockIndex()[i];
            int cls = layerClass(a, i);
            int k = 0;
            while (k < kinds.size() && (shapes[k] != shape || classes[k] != cls)) {
                k++;
            }
            if (k == kinds.size()) {
                if (k == shapes.length) {
                    shapes = Arrays.copyOf(shapes, 2 * k);
                    classes = Arrays.copyOf(classes, 2 * k);
                }
                shapes[k] = shape;
                classes[k] = cls;
                kinds.add(sized(a, a.block(i).at(i)));
            }
            kindOf[i] = k;
        }
        return new Sizes(outside, a.leading(), kinds, kindOf);
    }

    private List<Sized> sized(Architecture a, List<Tensor> tensors) {
        List<Sized> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(new Sized(t, bytes(a, t)));
        }
        return out;
    }

    /**
     * Which blocks of one shape this format stores alike: {@link #bytes} depends on a tensor's block
     * index only through this class (0 for all blocks, unless the format treats some blocks apart).
     */
    int layerClass(Architecture a, int layer) {
        return 0;
    }

    /** The format in words, for the assumptions. */
    abstract String describe();

    /**
     * Whether llama.cpp's CPU backend copies tensor {@code t} into an interleaved layout ({@code CPU_REPACK})
     * when it runs on the CPU: matrices stored as Q4_0, Q4_K or IQ4_NL (ggml-cpu's repack kernels for
     * AVX2/AVX-512 and ARM NEON), not the token embedding (a row look-up).
     */
    boolean repackable(Architecture a, Tensor t) {
        return false;
    }

    /** Whether the runtime's kernels dequantize these weights (prefill and decode reach other efficiencies). */
    boolean quantizedKernels() {
        return true;
    }

    /**
     * The format of weights stored as {@code q}. A model whose weight headers were read, stored as
     * they are ({@code q} is its {@link ModelSpec.Weights#quant}), has its exact bytes
     * ({@link PublishedWeights}). With {@link Quant#NONE}, a checkpoint the config says is published
     * quantized ({@code quantization_config}: DeepSeek-V3's fp8, gpt-oss's MXFP4 experts) is taken
     * as published.
     *
     * @param doubleQuant whether bitsandbytes NF4 uses double quantization (QLoRA's setting;
     *                    plain 4-bit loading in transformers does not)
     * @param exl2Bits    bits per weight of EXL2 weights (ignored for other formats)
     * @param keep16      modules a bitsandbytes checkpoint keeps in 16 bits (null: none)
     */
    static WeightFormat of(Quant q, ModelSpec model, boolean doubleQuant, double exl2Bits, ServingOptions keep16) {
        if (model.weights() != null && q == model.weights().quant()) {
            return new PublishedWeights(model.weights());
        }
        return switch (q.family()) {
            case FLOAT -> switch (q) {
                case FP32 -> Floats.FP32;
                case FP8 -> Floats.FP8;
                default -> published(model);
            };
            case BNB -> {
                Bitsandbytes b = q == Quant.BNB_INT8 ? Bitsandbytes.INT8 : doubleQuant ? Bitsandbytes.NF4_DOUBLE : Bitsandbytes.NF4;
                yield keep16 == null || keep16.unquantizedModules() == null ? b : b.keeping(keep16);
            }
            case GPTQ, AWQ -> new GroupQuantized(q);
            case GGUF -> new Gguf(q);
            case EXL2 -> new Exl2(exl2Bits);
            case MLC, MLX -> new GroupedEverywhere(q);
        };
    }

    /**
     * Whether a tensor stays in 16 bits under the transformers quantizers: vectors, embeddings, the
     * head, routers, the vision tower.
     */
    static boolean keeps16(Tensor t) {
        boolean matrix = t.role().matrix() && t.role() != Tensor.Role.ROUTER;
        return !matrix || t.role().embeddingOrHead() || t.role() == Tensor.Role.VISION;
    }

    /** fp8 linear layers: 1 byte plus an fp32 scale per 128×128 block. */
    static double fp8Bytes(long params) {
        return params * (1 + 4.0 / (128 * 128));
    }

    /**
     * 16-bit weights, or the checkpoint's own quantization when its config's {@code quantization_config}
     * says so: fp8 (block or channel scales), MXFP4 experts, GPTQ and AWQ (their bits and group size),
     * bitsandbytes 4-bit (NF4 or FP4, with or without double quantization) and 8-bit,
     * compressed-tensors (int4/int8 weight groups as GPTQ, fp8 as fp8).
     */
    private static WeightFormat published(ModelSpec model) {
        if (!(model.config().get("quantization_config") instanceof Map<?, ?> qc)
                || !(qc.get("quant_method") instanceof String || qc.get("load_in_4bit") != null || qc.get("load_in_8bit") != null)) {
            return Floats.FP16;
        }
        String method = qc.get("quant_method") instanceof String m ? m.toLowerCase(Locale.ROOT) : "bitsandbytes";
        int bits = qc.get("bits") instanceof Number b ? b.intValue() : qc.get("w_bit") instanceof Number w ? w.intValue() : 4;
        int group = qc.get("group_size") instanceof Number g ? g.intValue() : qc.get("q_group_size") instanceof Number g2 ? g2.intValue() : 128;
        return switch (method) {
            case "fp8", "fbgemm_fp8" -> Floats.PUBLISHED_FP8;
            case "mxfp4" -> Floats.PUBLISHED_MXFP4;
            case "gptq" -> new GroupQuantized(bits >= 8 ? Quant.GPTQ_INT8 : Quant.GPTQ_INT4, group, true);
            case "awq" -> new GroupQuantized(Quant.AWQ_INT4, group, true);
            case "bitsandbytes" -> Boolean.TRUE.equals(qc.get("load_in_8bit")) ? Bitsandbytes.INT8
                    : Boolean.TRUE.equals(qc.get("bnb_4bit_use_double_quant")) ? Bitsandbytes.NF4_DOUBLE : Bitsandbytes.NF4;
            case "compressed-tensors" -> compressedTensors(qc);
            default -> Floats.FP16;
        };
    }

    /** compressed-tensors: the first weight group's bits, type and group size. */
    private static WeightFormat compressedTensors(Map<?, ?> qc) {
        if (qc.get("config_groups") instanceof Map<?, ?> groups && !groups.isEmpty()
                && groups.values().iterator().next() instanceof Map<?, ?> first && first.get("weights") instanceof Map<?, ?> w) {
            int bits = w.get("num_bits") instanceof Number n ? n.intValue() : 16;
            boolean floating = "float".equals(w.get("type"));
            int group = w.get("group_size") instanceof Number g ? g.intValue() : -1;
            if (bits == 8 && floating) {
                return Floats.PUBLISHED_FP8;
            }
            if (bits == 4 || bits == 8) {
                return new GroupQuantized(bits == 8 ? Quant.GPTQ_INT8 : Quant.GPTQ_INT4, group, true);
            }
        }
        return Floats.FP16;
    }

    /** Floating-point storage. */
    private static final class Floats extends WeightFormat {
        static final Floats FP32 = new Floats(Kind.FP32, "fp32 (4 bytes per parameter)");
        static final Floats FP16 = new Floats(Kind.FP16, "fp16/bf16 (2 bytes per parameter)");
        static final Floats FP8 = new Floats(Kind.FP8, "fp8 linear layers (1 byte + block scales); embeddings, head and norms 16-bit");
        static final Floats PUBLISHED_FP8 = new Floats(Kind.PUBLISHED_FP8,
                "the checkpoint's fp8 (e4m3, 128x128 block scales); embeddings, head and norms bf16");
        static final Floats PUBLISHED_MXFP4 = new Floats(Kind.PUBLISHED_MXFP4,
                "the checkpoint's MXFP4 experts (4.25 bits); attention, router, embeddings and head bf16");

        private enum Kind { FP32, FP16, FP8, PUBLISHED_FP8, PUBLISHED_MXFP4 }

        private final Kind kind;
        private final String words;

        private Floats(Kind kind, String words) {
            this.kind = kind;
            this.words = words;
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            long n = t.params();
            return switch (kind) {
                case FP32 -> 4.0 * n;
                case FP16 -> 2.0 * n;
                case FP8, PUBLISHED_FP8 -> keeps16(t) ? 2.0 * n : fp8Bytes(n);
                case PUBLISHED_MXFP4 -> t.role().routedExpert() ? GgufType.MXFP4.bytes(t.rows() * t.copies(), t.cols()) : 2.0 * n;
            };
        }

        @Override
        String describe() {
            return words;
        }

        @Override
        boolean quantizedKernels() {
            return kind == Kind.FP8;
        }
    }

    /** bitsandbytes, quantized when the model is loaded; embeddings, head and norms stay 16-bit. */
    private static final class Bitsandbytes extends WeightFormat {
        static final Bitsandbytes INT8 = new Bitsandbytes(0, "bitsandbytes LLM.int8: int8 linear layers + fp32 row scales; "
                + "embeddings, head and norms 16-bit");
        static final Bitsandbytes NF4 = new Bitsandbytes(0.5 + 4.0 / 64,
                "bitsandbytes NF4 (4 bits + fp32 absmax per 64 = 4.5 bits); embeddings, head and norms 16-bit");
        static final Bitsandbytes NF4_DOUBLE = new Bitsandbytes(0.5 + 1.0 / 64 + 4.0 / (64 * 256),
                "bitsandbytes NF4 with double quantization (4.127 bits); embeddings, head and norms 16-bit");

        /** Bytes per weight of the 4-bit formats (0: LLM.int8, 1 byte plus an fp32 scale per row). */
        private final double perWeight;
        private final String words;
        /** Modules the checkpoint keeps in 16 bits (null: none). */
        private final ServingOptions keep;

        private Bitsandbytes(double perWeight, String words) {
            this(perWeight, words, null);
        }

        private Bitsandbytes(double perWeight, String words, ServingOptions keep) {
            this.perWeight = perWeight;
            this.words = words;
            this.keep = keep;
        }

        /** This format with the modules {@code keep} names kept in 16 bits. */
        Bitsandbytes keeping(ServingOptions keep) {
            return new Bitsandbytes(perWeight, words + "; " + keep.unquantizedModules() + " kept 16-bit", keep);
        }

        /** The block's attention and MLP kept in 16 bits (1 and 2), or neither. */
        @Override
        int layerClass(Architecture a, int layer) {
            return keep == null ? 0 : (keep.keepsUnquantized(layer, true) ? 1 : 0) | (keep.keepsUnquantized(layer, false) ? 2 : 0);
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            long n = t.params();
            if (keeps16(t) || keep != null && t.layer() >= 0 && keep.keepsUnquantized(t.layer(), t.role().attention())) {
                return 2.0 * n;
            }
            return perWeight == 0 ? n + 4.0 * t.rows() * t.copies() : n * perWeight;
        }

        @Override
        String describe() {
            return words;
        }
    }

    /**
     * GPTQ/AWQ: packed weights plus an fp16 scale and a packed zero per group and column (GPTQ also
     * an int32 group index per input row); embeddings, head and norms 16-bit. Group size 128 unless
     * the checkpoint's config says otherwise (-1: one group per row).
     */
    private static final class GroupQuantized extends WeightFormat {
        private final Quant q;
        private final int group;
        private final boolean fromConfig;

        GroupQuantized(Quant q) {
            this(q, 128, false);
        }

        GroupQuantized(Quant q, int group, boolean fromConfig) {
            this.q = q;
            this.group = group;
            this.fromConfig = fromConfig;
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            long n = t.params();
            if (keeps16(t)) {
                return 2.0 * n;
            }
            double g = group > 0 ? group : t.cols();
            return switch (q) {
                case GPTQ_INT4 -> n * (0.5 + 2.5 / g) + 4.0 * t.cols() * t.copies();
                case GPTQ_INT8 -> n * (1 + 3.0 / g) + 4.0 * t.cols() * t.copies();
                default -> n * (0.5 + 2.5 / g);
            };
        }

        @Override
        String describe() {
            return (fromConfig ? "the checkpoint's quantization_config: " : "") + q.id() + " group size "
                    + (group > 0 ? String.valueOf(group) : "per row") + " (packed weights + fp16 scales + packed zeros); "
                    + "embeddings, head and norms 16-bit";
        }
    }

    /** A GGUF file type: llama.cpp's per-tensor types ({@link GgufMix}), norms F32. */
    private static final class Gguf extends WeightFormat {
        private final Quant q;

        Gguf(Quant q) {
            this.q = q;
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            return GgufMix.typeOf(q, a, t).bytes(t.rows() * t.copies(), t.cols());
        }

        /** The mixes spend more bits on some blocks by their position ({@link GgufMix#position}). */
        @Override
        int layerClass(Architecture a, int layer) {
            return GgufMix.position(layer, a.layers());
        }

        @Override
        String describe() {
            return "GGUF " + q.id().substring(5) + " with llama.cpp's per-tensor types (output head Q6_K or Q8_0, "
                    + "more bits for attn_v/ffn_down in the K-quant _M/_S/_L mixes), norms F32";
        }

        @Override
        boolean quantizedKernels() {
            return GgufMix.baseType(q) != GgufType.F16 && GgufMix.baseType(q) != GgufType.F32;
        }

        @Override
        boolean repackable(Architecture a, Tensor t) {
            if (!t.role().matrix() || t.role() == Tensor.Role.TOKEN_EMBD || t.role() == Tensor.Role.POS_EMBD) {
                return false;
            }
            GgufType type = GgufMix.typeOf(q, a, t);
            return type == GgufType.Q4_0 || type == GgufType.Q4_K || type == GgufType.IQ4_NL;
        }
    }

    /**
     * ExLlamaV2's EXL2: every linear layer of the blocks at the chosen average bits per weight (its
     * 2- to 8-bit groups, scales and permutations included in that average, as the converter
     * counts), the output head at 6 bits (the converter's default {@code -hb 6}, plus its scales),
     * embedding and norms 16-bit.
     */
    private static final class Exl2 extends WeightFormat {
        /** Bits per weight of the head: 6 plus an fp16 scale per 32-weight group. */
        private static final double HEAD_BITS = 6.5;
        private final double bits;

        Exl2(double bits) {
            this.bits = bits;
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            long n = t.params();
            if (t.role() == Tensor.Role.OUTPUT) {
                return n * HEAD_BITS / 8;
            }
            return keeps16(t) ? 2.0 * n : n * bits / 8;
        }

        @Override
        String describe() {
            return "EXL2 at " + NumberText.plain(bits) + " bits per weight in the blocks' linear layers, the head at 6 bits; "
                    + "embedding and norms 16-bit";
        }
    }

    /**
     * MLC-LLM's and MLX's group quantization: every matrix, embedding and head included, in groups
     * with 16-bit (MLC q4f32_1: 32-bit) scales, MLX with a 16-bit bias per group too; norms 16-bit.
     * MLC q0f16 is plain 16-bit.
     */
    private static final class GroupedEverywhere extends WeightFormat {
        private final Quant q;

        GroupedEverywhere(Quant q) {
            this.q = q;
        }

        /** Bits per weight including the group's scale (and MLX's bias). */
        private double bits() {
            return switch (q) {
                case MLC_Q4F16_1 -> 4 + 16.0 / 32;
                case MLC_Q4F32_1 -> 4 + 32.0 / 32;
                case MLC_Q3F16_1 -> 3 + 16.0 / 40;
                case MLX_8BIT -> 8 + 32.0 / 64;
                case MLX_6BIT -> 6 + 32.0 / 64;
                case MLX_4BIT -> 4 + 32.0 / 64;
                case MLX_3BIT -> 3 + 32.0 / 64;
                default -> 16;
            };
        }

        @Override
        double bytes(Architecture a, Tensor t) {
            long n = t.params();
            return t.role().matrix() && t.role() != Tensor.Role.ROUTER ? n * bits() / 8 : 2.0 * n;
        }

        @Override
        String describe() {
            return q.id() + " (" + NumberText.plain(bits()) + " bits per weight in every matrix, embedding and head "
                    + "included, scales counted); norms 16-bit";
        }

        @Override
        boolean quantizedKernels() {
            return q != Quant.MLC_Q0F16;
        }
    }
}
