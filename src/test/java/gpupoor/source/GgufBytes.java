package gpupoor.source;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF files byte by byte, following the format's specification (llama.cpp's
 * {@code docs/gguf.md}), so that tests can build valid headers and break them on purpose.
 */
final class GgufBytes {
    private final ByteArrayOutputStream kvs = new ByteArrayOutputStream();
    private final ByteArrayOutputStream infos = new ByteArrayOutputStream();
    private final List<Long> tensorBytes = new ArrayList<>();
    private int kvCount;
    private int tensorCount;
    private long version = 3;
    private int alignment = 32;
    private long nextOffset;

    GgufBytes version(long v) {
        version = v;
        return this;
    }

    GgufBytes uint32(String key, long v) {
        key(key, 4);
        i32(kvs, (int) v);
        return this;
    }

    GgufBytes string(String key, String v) {
        key(key, 8);
        str(kvs, v);
        return this;
    }

    GgufBytes bool(String key, boolean v) {
        key(key, 7);
        kvs.write(v ? 1 : 0);
        return this;
    }

    GgufBytes float32(String key, float v) {
        key(key, 6);
        i32(kvs, Float.floatToIntBits(v));
        return this;
    }

    /** An array of UINT32 (type 4) or INT32 (5) values. */
    GgufBytes ints(String key, int type, long... values) {
        key(key, 9);
        i32(kvs, type);
        i64(kvs, values.length);
        for (long v : values) {
            i32(kvs, (int) v);
        }
        return this;
    }

    GgufBytes bools(String key, boolean... values) {
        key(key, 9);
        i32(kvs, 7);
        i64(kvs, values.length);
        for (boolean v : values) {
            kvs.write(v ? 1 : 0);
        }
        return this;
    }

    GgufBytes strings(String key, String... values) {
        key(key, 9);
        i32(kvs, 8);
        i64(kvs, values.length);
        for (String v : values) {
            str(kvs, v);
        }
        return this;
    }

    /** Raw bytes after a key and type id: for values the other methods cannot write (bad ones). */
    GgufBytes raw(String key, int type, byte[] value) {
        key(key, type);
        kvs.writeBytes(value);
        return this;
    }

    GgufBytes alignment(int a) {
        alignment = a;
        return uint32("general.alignment", a);
    }

    /** A tensor with dimensions {@code ne} (innermost first, as GGUF stores them) of ggml type {@code type} taking {@code bytes}. */
    GgufBytes tensor(String name, int type, long bytes, long... ne) {
        return tensorAt(name, type, nextOffset, bytes, ne);
    }

    /** A tensor at an explicit data offset. */
    GgufBytes tensorAt(String name, int type, long offset, long bytes, long... ne) {
        str(infos, name);
        i32(infos, ne.length);
        for (long n : ne) {
            i64(infos, n);
        }
        i32(infos, type);
        i64(infos, offset);
        tensorCount++;
        tensorBytes.add(bytes);
        nextOffset = offset + (bytes + alignment - 1) / alignment * alignment;
        return this;
    }

    /** The header only: magic, version, counts, metadata, tensor infos. */
    byte[] header() {
        return header(tensorCount, kvCount);
    }

    /** The header with the counts given (to claim more than there is). */
    byte[] header(long tensors, long kvCountClaimed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        i32(out, (int) version);
        i64(out, tensors);
        i64(out, kvCountClaimed);
        out.writeBytes(kvs.toByteArray());
        out.writeBytes(infos.toByteArray());
        return out.toByteArray();
    }

    /** The whole file: header, padding to the alignment, and zeroed tensor data. */
    byte[] file() {
        byte[] h = header();
        long data = (h.length + alignment - 1L) / alignment * alignment;
        byte[] f = new byte[(int) (data + nextOffset)];
        System.arraycopy(h, 0, f, 0, h.length);
        return f;
    }

    private void key(String key, int type) {
        str(kvs, key);
        i32(kvs, type);
        kvCount++;
    }

    static void str(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i64(o, b.length);
        o.writeBytes(b);
    }

    static void i32(ByteArrayOutputStream o, int v) {
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    static void i64(ByteArrayOutputStream o, long v) {
        o.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
