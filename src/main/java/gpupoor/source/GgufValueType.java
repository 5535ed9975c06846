package gpupoor.source;

/** The value types of GGUF metadata ({@code enum gguf_type}), with the least bytes one value takes. */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(8), ARRAY(12),
    UINT64(8), INT64(8), FLOAT64(8);

    private final int minBytes;

    GgufValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    /** The least bytes one value of this type takes in a file (a string's length field, an array's type and count). */
    int minBytes() {
        return minBytes;
    }

    /** The type with GGUF id {@code id}, or null. */
    static GgufValueType ofId(long id) {
        return id >= 0 && id < values().length ? values()[(int) id] : null;
    }
}
