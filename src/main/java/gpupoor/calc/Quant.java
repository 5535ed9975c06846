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
    /** GGUF Q4_0. */
    Q4_0("gguf-Q4_0", Family.GGUF, 4.5, 200),
    /** GGUF Q3_K_L mix. */
    Q3_K_L("gguf-Q3_K_L", Family.GGUF, 3.4375, 210),
    /** GGUF Q3_K_M mix. */
    Q3_K_M("gguf-Q3_K_M", Family.GGUF, 3.4375, 220),
    /** GGUF Q3_K_S mix. */
    Q3_K_S("gguf-Q3_K_S", Family.GGUF, 3.4375, 230),
    /** GGUF Q2_K mix. */
    Q2_K("gguf-Q2_K", Family.GGUF, 2.625, 240);

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
        GGUF
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
            default -> { }
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

    /** All quantization ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Quant::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
