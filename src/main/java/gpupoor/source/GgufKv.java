package gpupoor.source;

import java.util.List;

/**
 * One metadata key-value pair of a GGUF header, exactly as stored.
 *
 * <p>Values are Java objects: every integer type as a {@link Long} (a UINT64 above
 * {@code Long.MAX_VALUE} keeps its bit pattern: read it with {@link Long#toUnsignedString}), FLOAT32
 * and FLOAT64 as {@link Double}, BOOL as {@link Boolean}, STRING as {@link String}, ARRAY as an
 * unmodifiable {@link List} of such values (arrays of arrays nest).
 *
 * @param key         the key, e.g. {@code llama.block_count}
 * @param type        its value type
 * @param elementType for an ARRAY, the type of its elements (for nested arrays, of the outer array's); else null
 * @param value       the value
 */
public record GgufKv(String key, GgufValueType type, GgufValueType elementType, Object value) {
    /** The value as a long, or null when it is not an integer. */
    public Long asLong() {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> (Long) value;
            default -> null;
        };
    }

    /** The value as a number (integer or float), or null. */
    public Double asDouble() {
        if (value instanceof Double d) {
            return d;
        }
        Long l = asLong();
        return l == null ? null : l.doubleValue();
    }

    /** The value as a list when it is an ARRAY, else null. */
    public List<?> asList() {
        return value instanceof List<?> l ? l : null;
    }
}
