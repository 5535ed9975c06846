package gpupoor.source;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every dtype of the safetensors format (the 22 of the {@code safetensors} crate's {@code Dtype}),
 * one row each with its bits per element. Sub-byte types (F4, F6) pack several elements per byte;
 * the GPTQ/AWQ/bitsandbytes formats store their packed integers as I32, U8 or I8 tensors, so their
 * element counts are of the packed words, not of the weights.
 */
public enum SafetensorsDtype implements StorageType {
    BOOL(8),
    F4(4),
    F6_E2M3(6),
    F6_E3M2(6),
    U8(8),
    I8(8),
    F8_E5M2(8),
    F8_E4M3(8),
    F8_E8M0(8),
    F8_E4M3FNUZ(8),
    F8_E5M2FNUZ(8),
    I16(16),
    U16(16),
    F16(16),
    BF16(16),
    I32(32),
    U32(32),
    F32(32),
    C64(64),
    F64(64),
    I64(64),
    U64(64);

    private final int bits;

    SafetensorsDtype(int bits) {
        this.bits = bits;
    }

    /** Bits per element. */
    public int bits() {
        return bits;
    }

    @Override
    public String id() {
        return name();
    }

    @Override
    public double bitsPerElement() {
        return bits;
    }

    @Override
    public long bytes(long elements, long rowLength) {
        long totalBits = Math.multiplyExact(elements, (long) bits);
        if (totalBits % 8 != 0) {
            throw new InvalidModelSourceException("a " + name() + " tensor of " + elements
                    + " elements does not fill whole bytes");
        }
        return totalBits / 8;
    }

    /**
     * The dtype named {@code name} in a safetensors header.
     *
     * @throws InvalidModelSourceException for an unknown name, naming the tensor
     */
    public static SafetensorsDtype of(String name, String tensor) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new InvalidModelSourceException("tensor '" + tensor + "' has unknown safetensors dtype '" + name
                + "'; known dtypes: " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
