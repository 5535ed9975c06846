package gpupoor.source;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every tensor storage type of current llama.cpp, one row each: the id stored in GGUF files
 * ({@code enum ggml_type} in {@code ggml.h}), the weights per block ({@code blck_size}) and the bytes
 * per block ({@code type_size}) of {@code type_traits} in {@code ggml/src/ggml.c} (the same numbers
 * as {@code GGML_QUANT_SIZES} of llama.cpp's {@code gguf} Python package, which the tests check
 * against). A new type is one new row. Ids that llama.cpp removed from GGUF files are listed in
 * {@link #REMOVED} so that a file using one gets a clear message.
 */
public enum GgmlType implements StorageType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    /** ggml's {@code block_q8_1} is two halves and 32 quants (gguf-py's table still says 40, from older float scales). */
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17),
    NVFP4(40, 64, 36),
    Q1_0(41, 128, 18);

    /** Ids that llama.cpp no longer reads from GGUF files, with the reason. */
    public static final Map<Integer, String> REMOVED = Map.of(
            4, "Q4_2, removed from llama.cpp in 2023",
            5, "Q4_3, removed from llama.cpp in 2023",
            31, "Q4_0_4_4, removed from GGUF files (llama.cpp now repacks Q4_0 when it loads the model)",
            32, "Q4_0_4_8, removed from GGUF files (llama.cpp now repacks Q4_0 when it loads the model)",
            33, "Q4_0_8_8, removed from GGUF files (llama.cpp now repacks Q4_0 when it loads the model)",
            36, "IQ4_NL_4_4, removed from GGUF files (llama.cpp now repacks IQ4_NL when it loads the model)",
            37, "IQ4_NL_4_8, removed from GGUF files (llama.cpp now repacks IQ4_NL when it loads the model)",
            38, "IQ4_NL_8_8, removed from GGUF files (llama.cpp now repacks IQ4_NL when it loads the model)");

    private static final Map<Integer, GgmlType> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(GgmlType::typeId, t -> t));

    private final int typeId;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int typeId, int blockSize, int typeSize) {
        this.typeId = typeId;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The id stored in GGUF tensor infos. */
    public int typeId() {
        return typeId;
    }

    /** Weights per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    @Override
    public String id() {
        return name();
    }

    @Override
    public double bitsPerElement() {
        return 8.0 * typeSize / blockSize;
    }

    @Override
    public long bytes(long elements, long rowLength) {
        if (rowLength <= 0 || rowLength % blockSize != 0) {
            throw new InvalidModelSourceException("a " + name() + " tensor's rows must be a multiple of " + blockSize
                    + " elements, but this one has rows of " + rowLength);
        }
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }

    /**
     * The type with GGUF id {@code id}.
     *
     * @throws InvalidModelSourceException for a removed or unknown id, naming the tensor
     */
    public static GgmlType ofId(long id, String tensor) {
        GgmlType t = id >= 0 && id <= Integer.MAX_VALUE ? BY_ID.get((int) id) : null;
        if (t != null) {
            return t;
        }
        String removed = id >= 0 && id <= Integer.MAX_VALUE ? REMOVED.get((int) id) : null;
        if (removed != null) {
            throw new InvalidModelSourceException("tensor '" + tensor + "' has ggml type " + id + " (" + removed
                    + "); convert or quantize the model again with a current llama.cpp");
        }
        throw new InvalidModelSourceException("tensor '" + tensor + "' has unknown ggml type id " + id
                + "; the known ids are " + Arrays.stream(values()).map(v -> v.typeId + " " + v.name())
                .collect(Collectors.joining(", ")) + "; the file is corrupt or newer than this calculator");
    }
}
