package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the weights are stored: a float type, a bitsandbytes on-the-fly quantization, a GPTQ/AWQ
 * checkpoint or a GGUF/GGML block type. Each has an id (its parse name), a family (whose
 * {@code WeightFormat} in the default method gives its bytes per tensor), its nominal bits per
 * weight and a quality rank (lower is closer to the 16-bit model; {@link Fit#byQuality} orders by it
 * within a family), so the order of the constants carries no meaning.
 */
public enum Quant {
    /** 32-bit floats. */
    FP32("fp32", Family.FLOAT, 32, 10),
    /** 16-bit floats (fp16 or bf16): the unquantized default. */
    NONE("none", Family.FLOAT, 16, 20),
    /** 8-bit floats (E4M3) with per-tensor or per-block scales. */
    FP8("fp8", Family.FLOAT, 8, 30),
    /** bitsandbytes LLM.int8(). */
    BNB_INT8("bnb-int8", Family.BNB, 8, 40),
    /** bitsandbytes 4-bit NormalFloat (QLoRA's storage type). */
    BNB_NF4("bnb-nf4", Family.BNB, 4, 50),
    /** GPTQ 8-bit checkpoint, group size 128. */
    GPTQ_INT8("gptq-int8", Family.GPTQ, 8, 60),
    /** GPTQ 4-bit checkpoint, group size 128. */
    GPTQ_INT4("gptq-int4", Family.GPTQ, 4, 70),
    /** AWQ 4-bit checkpoint, group size 128. */
    AWQ_INT4("awq-int4", Family.AWQ, 4, 80),
    /** GGUF 32-bit floats. */
    GGUF_F32("gguf-F32", Family.GGUF, 32, 85),
    /** GGUF 16-bit floats. */
    GGUF_F16("gguf-F16", Family.GGUF, 16, 90),
    /** GGUF Q8_0: 32-weight blocks of int8 and one fp16 scale. */
    Q8_0("gguf-Q8_0", Family.GGUF, 8.5, 100),
    /** GGML Q8_1 (legacy, known to the original calculator but not offered in its UI). */
    Q8_1("gguf-Q8_1", Family.GGUF, 9, 110),
    /** GGUF Q6_K. */
    Q6_K("gguf-Q6_K", Family.GGUF, 6.5625, 120),
    /** GGUF Q5_K_M mix. */
    Q5_K_M("gguf-Q5_K_M", Family.GGUF, 5.5, 130),
    /** GGUF Q5_1. */
    Q5_1("gguf-Q5_1", Family.GGUF, 6, 140),
    /** GGUF Q5_K_S mix. */
    Q5_K_S("gguf-Q5_K_S", Family.GGUF, 5.5, 150),
    /** GGUF Q5_0. */
    Q5_0("gguf-Q5_0", Family.GGUF, 5.5, 160),
    /** GGUF Q4_K_M mix. */
    Q4_K_M("gguf-Q4_K_M", Family.GGUF, 4.5, 170),
    /** GGUF Q4_1. */
    Q4_1("gguf-Q4_1", Family.GGUF, 5, 180),
    /** GGUF Q4_K_S mix. */
    Q4_K_S("gguf-Q4_K_S", Family.GGUF, 4.5, 190),
    /** GGUF IQ4_XS: 4-bit non-linear super-blocks of 256 (4.25 bits). */
    IQ4_XS("gguf-IQ4_XS", Family.GGUF, 4.25, 193),
    /** GGUF IQ4_NL: 4-bit non-linear blocks of 32 (4.5 bits). */
    IQ4_NL("gguf-IQ4_NL", Family.GGUF, 4.5, 196),
    /** GGUF Q4_0. */
    Q4_0("gguf-Q4_0", Family.GGUF, 4.5, 200),
    /** GGUF Q3_K_L mix. */
    Q3_K_L("gguf-Q3_K_L", Family.GGUF, 3.4375, 210),
    /** GGUF Q3_K_M mix. */
    Q3_K_M("gguf-Q3_K_M", Family.GGUF, 3.4375, 220),
    /** GGUF Q3_K_S mix. */
    Q3_K_S("gguf-Q3_K_S", Family.GGUF, 3.4375, 230),
    /** GGUF Q2_K mix. */
    Q2_K("gguf-Q2_K", Family.GGUF, 2.625, 240),
    /**
     * ExLlamaV2's EXL2: a mix of 2- to 8-bit groups averaging a chosen number of bits per weight
     * (written {@code exl2-4.65}; the bits are given with it, 4.0 when written {@code exl2}).
     */
    EXL2("exl2", Family.EXL2, 4.0, 250),
    /** MLC-LLM q0f16: unquantized 16-bit weights compiled by MLC. */
    MLC_Q0F16("mlc-q0f16", Family.MLC, 16, 255),
    /** MLC-LLM q4f16_1: 4-bit weights in groups of 32 with an fp16 scale (embedding and head too). */
    MLC_Q4F16_1("mlc-q4f16_1", Family.MLC, 4.5, 260),
    /** MLC-LLM q4f32_1: as q4f16_1 with fp32 scales. */
    MLC_Q4F32_1("mlc-q4f32_1", Family.MLC, 5, 265),
    /** MLC-LLM q3f16_1: 3-bit weights in groups of 40 with an fp16 scale. */
    MLC_Q3F16_1("mlc-q3f16_1", Family.MLC, 3.4, 270),
    /** MLX 8-bit: groups of 64 with an fp16 scale and bias (embedding and head too). */
    MLX_8BIT("mlx-8bit", Family.MLX, 8.5, 275),
    /** MLX 6-bit: groups of 64 with an fp16 scale and bias. */
    MLX_6BIT("mlx-6bit", Family.MLX, 6.5, 280),
    /** MLX 4-bit (mlx-lm's default {@code --q-bits 4}): groups of 64 with an fp16 scale and bias. */
    MLX_4BIT("mlx-4bit", Family.MLX, 4.5, 285),
    /** MLX 3-bit: groups of 64 with an fp16 scale and bias. */
    MLX_3BIT("mlx-3bit", Family.MLX, 3.5, 290);

    /** The storage families. */
    public enum Family {
        /** Plain floating point. */
        FLOAT,
        /** bitsandbytes, quantized when the model is loaded. */
        BNB,
        /** GPTQ checkpoints. */
        GPTQ,
        /** AWQ checkpoints. */
        AWQ,
        /** llama.cpp GGUF/GGML files. */
        GGUF,
        /** ExLlamaV2's EXL2 mixes. */
        EXL2,
        /** MLC-LLM's group quantization. */
        MLC,
        /** MLX's group quantization. */
        MLX
    }

    private final String id;
    private final Family family;
    private final double nominalBits;
    private final int quality;

    Quant(String id, Family family, double nominalBits, int quality) {
        this.id = id;
        this.family = family;
        this.nominalBits = nominalBits;
        this.quality = quality;
    }

    /** The quality rank: lower is closer to the unquantized model (ranks are spaced by 10 so a new type fits between two). */
    public int quality() {
        return quality;
    }

    /** The id used on the command line and in CSV files, e.g. {@code gguf-Q4_K_M}. */
    public String id() {
        return id;
    }

    /** The storage family. */
    public Family family() {
        return family;
    }

    /** Whether this is a GGUF/GGML block type. */
    public boolean isGguf() {
        return family == Family.GGUF;
    }

    /** Whether this is a bitsandbytes type. */
    public boolean isBnb() {
        return family == Family.BNB;
    }

    /**
     * Bits per weight of the base block type (for the K-quant mixes, of their main type); the
     * default method refines this per tensor.
     */
    public double nominalBits() {
        return nominalBits;
    }

    /**
     * Parses a quantization id, case-insensitively. Accepts our ids ({@code none}, {@code bnb-nf4},
     * {@code gguf-Q4_K_M}), bare GGUF names ({@code Q4_K_M}), float names ({@code fp16},
     * {@code bf16}, {@code f16}) and the original calculator's ids ({@code bnb_int8},
     * {@code bnb_q4}, {@code ggml_QK4_K_M}, {@code no_quant}).
     *
     * @throws InvalidScenarioException naming the accepted ids and the closest ones
     */
    public static Quant parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "none", "no-quant", "fp16", "bf16", "f16", "float16", "bfloat16", "16" -> { return NONE; }
            case "fp32", "f32", "float32", "32" -> { return FP32; }
            case "fp8", "f8", "float8", "fp8-e4m3" -> { return FP8; }
            case "bnb-int8", "int8", "llm.int8" -> { return BNB_INT8; }
            case "bnb-nf4", "bnb-q4", "bnb-int4", "nf4", "bnb-4bit" -> { return BNB_NF4; }
            case "gptq-int4", "gptq", "gptq-4bit" -> { return GPTQ_INT4; }
            case "gptq-int8", "gptq-8bit" -> { return GPTQ_INT8; }
            case "awq-int4", "awq", "awq-4bit" -> { return AWQ_INT4; }
            case "mlc-q4f16-1", "q4f16-1", "mlc-q4f16" -> { return MLC_Q4F16_1; }
            case "mlc-q4f32-1", "q4f32-1" -> { return MLC_Q4F32_1; }
            case "mlc-q3f16-1", "q3f16-1" -> { return MLC_Q3F16_1; }
            case "mlc-q0f16", "q0f16", "mlc-q0f32" -> { return MLC_Q0F16; }
            case "mlx-4bit", "mlx-q4", "mlx-4" -> { return MLX_4BIT; }
            case "mlx-8bit", "mlx-q8", "mlx-8" -> { return MLX_8BIT; }
            case "mlx-6bit", "mlx-q6", "mlx-6" -> { return MLX_6BIT; }
            case "mlx-3bit", "mlx-q3", "mlx-3" -> { return MLX_3BIT; }
            default -> { }
        }
        if (t.equals("exl2") || exl2Bits(t) > 0) {
            return EXL2;
        }
        String g = t;
        for (String prefix : List.of("gguf-", "ggml-")) {
            if (g.startsWith(prefix)) {
                g = g.substring(prefix.length());
            }
        }
        if (g.startsWith("qk")) {
            g = "q" + g.substring(2);
        }
        for (Quant q : values()) {
            if (q.isGguf() && q.id.substring(5).toLowerCase(Locale.ROOT).replace('_', '-').equals(g)) {
                return q;
            }
        }
        throw new InvalidScenarioException("unknown quantization '" + text + "'; accepted: "
                + String.join(", ", ids()) + Names.didYouMean(text, ids()));
    }

    /**
     * The bits per weight an EXL2 id carries ({@code exl2-4.65} → 4.65, {@code exl2-4.0bpw} → 4.0),
     * or 0 when the text is not such an id.
     */
    public static double exl2Bits(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        java.util.regex.Matcher m = EXL2_ID.matcher(t);
        return m.matches() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static final java.util.regex.Pattern EXL2_ID = java.util.regex.Pattern.compile(
            "exl2-(\\d+(?:\\.\\d+)?)(?:-?bpw)?");

    /** All quantization ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Quant::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
