package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The element type of a KV cache: floats, or llama.cpp's quantized blocks. */
public enum KvCacheType {
    /** 16-bit floats (fp16). */
    F16("f16", 2),
    /** bfloat16. */
    BF16("bf16", 2),
    /** 32-bit floats. */
    F32("f32", 4),
    /** 8-bit floats (vLLM's {@code fp8}, e4m3 or e5m2). */
    FP8("fp8", 1),
    /** llama.cpp q8_0: 34 bytes per 32 elements. */
    Q8_0("q8_0", 34.0 / 32),
    /** llama.cpp q4_0: 18 bytes per 32 elements. */
    Q4_0("q4_0", 18.0 / 32),
    /** llama.cpp q4_1: 20 bytes per 32 elements. */
    Q4_1("q4_1", 20.0 / 32),
    /** llama.cpp q5_0: 22 bytes per 32 elements. */
    Q5_0("q5_0", 22.0 / 32),
    /** llama.cpp q5_1: 24 bytes per 32 elements. */
    Q5_1("q5_1", 24.0 / 32);

    private final String id;
    private final double elementBytes;

    KvCacheType(String id, double elementBytes) {
        this.id = id;
        this.elementBytes = elementBytes;
    }

    /** The id used on the command line, e.g. {@code q8_0}. */
    public String id() {
        return id;
    }

    /** Bytes per cached element. */
    public double elementBytes() {
        return elementBytes;
    }

    /** Whether it is one of llama.cpp's quantized block types. */
    public boolean isBlockQuantized() {
        return id.startsWith("q");
    }

    /**
     * Parses a cache type, case-insensitively; {@code auto}, {@code fp16}, {@code half} mean f16,
     * {@code fp8_e4m3}, {@code fp8_e5m2}, {@code f8} mean fp8.
     *
     * @throws InvalidScenarioException naming the accepted types
     */
    public static KvCacheType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "auto", "fp16", "float16", "half" -> { return F16; }
            case "bfloat16" -> { return BF16; }
            case "fp32", "float32" -> { return F32; }
            case "fp8_e4m3", "fp8_e5m2", "f8", "float8" -> { return FP8; }
            default -> { }
        }
        for (KvCacheType k : values()) {
            if (k.id.equals(t)) {
                return k;
            }
        }
        throw new InvalidScenarioException("unknown " + Input.KV_CACHE.words() + " '" + text + "'; accepted: "
                + String.join(", ", ids()) + Names.didYouMean(text, ids()));
    }

    /** All ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(KvCacheType::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
