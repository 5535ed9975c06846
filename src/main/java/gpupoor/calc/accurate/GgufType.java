package gpupoor.calc.accurate;

/**
 * A GGML tensor storage type: how many weights one block holds and how many bytes it takes (the
 * block layouts of ggml's {@code ggml-common.h}).
 */
enum GgufType {
    /** 32-bit float. */
    F32(1, 4),
    /** 16-bit float. */
    F16(1, 2),
    /** 4-bit, one fp16 scale per 32 weights. */
    Q4_0(32, 18),
    /** 4-bit, fp16 scale and minimum per 32 weights. */
    Q4_1(32, 20),
    /** 5-bit, one fp16 scale per 32 weights. */
    Q5_0(32, 22),
    /** 5-bit, fp16 scale and minimum per 32 weights. */
    Q5_1(32, 24),
    /** 8-bit, one fp16 scale per 32 weights. */
    Q8_0(32, 34),
    /** 8-bit with scale and sum per 32 weights (legacy). */
    Q8_1(32, 36),
    /** 2-bit K-quant super-block of 256. */
    Q2_K(256, 84),
    /** 3-bit K-quant super-block of 256. */
    Q3_K(256, 110),
    /** 4-bit K-quant super-block of 256. */
    Q4_K(256, 144),
    /** 5-bit K-quant super-block of 256. */
    Q5_K(256, 176),
    /** 6-bit K-quant super-block of 256. */
    Q6_K(256, 210),
    /** 4-bit non-linear, 32-weight blocks (llama.cpp's fallback for K-quants on rows not divisible by 256). */
    IQ4_NL(32, 18),
    /** 4-bit non-linear with 6-bit sub-block scales, super-blocks of 256 (4.25 bits per weight). */
    IQ4_XS(256, 136),
    /** 4-bit microscaling float, one 8-bit scale per 32 weights (gpt-oss experts). */
    MXFP4(32, 17);

    private final int blockSize;
    private final int blockBytes;

    GgufType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Weights per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bits per weight. */
    public double bitsPerWeight() {
        return 8.0 * blockBytes / blockSize;
    }

    /** Bytes of a row-major tensor whose rows have {@code cols} weights (rows are padded to whole blocks). */
    public double bytes(long rows, long cols) {
        long blocks = (cols + blockSize - 1) / blockSize;
        return (double) rows * blocks * blockBytes;
    }

    /** The type llama.cpp falls back to when a row length is not a multiple of this type's block. */
    GgufType fallback() {
        return switch (this) {
            case Q2_K, Q3_K -> IQ4_NL;
            case Q4_K -> Q5_0;
            case Q5_K -> Q5_1;
            case Q6_K -> Q8_0;
            case IQ4_XS -> IQ4_NL;
            default -> F16;
        };
    }
}
