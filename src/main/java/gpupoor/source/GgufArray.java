package gpupoor.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;

/**
 * A GGUF metadata array kept as its raw little-endian bytes and decoded element by element on
 * access, so that a header's large arrays (a tokenizer's 262,144 tokens and scores) cost their
 * bytes, not an object per element. Arrays of arrays hold their inner arrays.
 */
final class GgufArray extends AbstractList<Object> {
    private final GgufValueType type;
    private final ByteBuffer data;
    private final int[] starts;
    private final List<GgufArray> nested;
    private final int size;

    private GgufArray(GgufValueType type, byte[] data, int[] starts, List<GgufArray> nested, int size) {
        this.type = type;
        this.data = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.starts = starts;
        this.nested = nested;
        this.size = size;
    }

    /** An array of fixed-size numbers or booleans. */
    static GgufArray ofFixed(GgufValueType type, byte[] data, int size) {
        return new GgufArray(type, data, null, null, size);
    }

    /** An array of strings; {@code starts[i]} is where string {@code i}'s length field starts in {@code data}. */
    static GgufArray ofStrings(byte[] data, int[] starts) {
        return new GgufArray(GgufValueType.STRING, data, starts, null, starts.length);
    }

    /** An array of arrays. */
    static GgufArray ofArrays(List<GgufArray> inner) {
        return new GgufArray(GgufValueType.ARRAY, new byte[0], null, List.copyOf(inner), inner.size());
    }

    /** The type of the elements. */
    GgufValueType elementType() {
        return type;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return switch (type) {
            case UINT8 -> (long) (data.get(i) & 0xff);
            case INT8 -> (long) data.get(i);
            case UINT16 -> (long) (data.getShort(2 * i) & 0xffff);
            case INT16 -> (long) data.getShort(2 * i);
            case UINT32 -> data.getInt(4 * i) & 0xffffffffL;
            case INT32 -> (long) data.getInt(4 * i);
            case FLOAT32 -> (double) data.getFloat(4 * i);
            case BOOL -> data.get(i) != 0;
            case UINT64, INT64 -> data.getLong(8 * i);
            case FLOAT64 -> data.getDouble(8 * i);
            case STRING -> {
                int at = starts[i];
                int n = (int) data.getLong(at);
                byte[] b = new byte[n];
                data.get(at + 8, b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            case ARRAY -> nested.get(i);
        };
    }
}
