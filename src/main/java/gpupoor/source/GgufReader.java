package gpupoor.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header of a GGUF file (versions 2 and 3): magic, counts, metadata of every value type
 * (arrays included, nested too), tensor infos and alignment. It reads only as far as the header
 * goes, and no further than {@link #MAX_HEADER_BYTES}; every count and length is checked against
 * the bytes left before anything is allocated for it.
 */
final class GgufReader {
    /** The most header bytes read: a real model's header (its tokenizer included) takes 1-10 MiB. */
    static final int MAX_HEADER_BYTES = 32 << 20;
    /** ggml's {@code GGML_MAX_DIMS}. */
    static final int MAX_DIMS = 4;
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_NESTED_ARRAYS = 1 << 16;
    /** The least bytes of one tensor info: name length, dimension count, type, offset. */
    private static final int MIN_TENSOR_INFO = 8 + 4 + 4 + 8;
    /** The least bytes of one metadata pair: key length, value type, a one-byte value. */
    private static final int MIN_KV = 8 + 4 + 1;

    private final HeaderCursor in;
    private final String label;
    private int nestedArrays;

    private GgufReader(ByteSource source, String label, int firstChunk) {
        this.in = new HeaderCursor(source, MAX_HEADER_BYTES, firstChunk);
        this.label = label;
    }

    /**
     * Reads the header of {@code source}; {@code label} names the file in tensor infos, {@code firstChunk}
     * is the first read's size (small for a remote file, so that a small header costs one small request).
     *
     * @throws InvalidModelSourceException when it is not a GGUF file or its header is malformed
     */
    static GgufFile read(ByteSource source, String label, int firstChunk) {
        return new GgufReader(source, label, firstChunk).read(source.describe());
    }

    private GgufFile read(String location) {
        in.context("the magic number");
        if (in.room() < 8) {
            throw new InvalidModelSourceException(location + " is not a GGUF file: it has only " + in.room() + " bytes");
        }
        int magic = in.i32();
        if (magic != 0x46554747) {
            throw new InvalidModelSourceException(location + " is not a GGUF file: it starts with bytes "
                    + hex(magic) + ", not 'GGUF' (47 47 55 46); pass a .gguf file, a config.json or a model directory");
        }
        in.context("the version");
        long version = in.u32();
        if (version == 1) {
            throw in.error("GGUF version 1 (from before October 2023) is not read: convert the model again with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            long swapped = Integer.reverseBytes((int) version) & 0xffffffffL;
            throw in.error(swapped == 2 || swapped == 3 ? "this is a big-endian GGUF file; only little-endian files are read"
                    : "unsupported GGUF version " + version + " (versions 2 and 3 are read)");
        }
        in.context("the tensor count");
        long tensorCount = in.count("the tensor count", MIN_TENSOR_INFO);
        in.context("the metadata count");
        long kvCount = in.count("the metadata count", MIN_KV);
        Map<String, GgufKv> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            in.context("metadata entry " + (i + 1) + " of " + kvCount);
            String key = in.string("a metadata key");
            in.context("metadata '" + key + "'");
            GgufValueType type = valueType(in.u32(), key);
            GgufValueType elementType = null;
            Object value;
            if (type == GgufValueType.ARRAY) {
                GgufArray a = array(key, 0);
                elementType = a.elementType();
                value = a;
            } else {
                value = scalar(type, key);
            }
            if (metadata.put(key, new GgufKv(key, type, elementType, value)) != null) {
                throw in.error("metadata key '" + key + "' appears twice");
            }
        }
        int alignment = alignment(metadata.get("general.alignment"));
        List<TensorInfo> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            in.context("tensor info " + (i + 1) + " of " + tensorCount);
            TensorInfo t = tensor(alignment);
            if (!names.add(t.name())) {
                throw in.error("tensor '" + t.name() + "' appears twice");
            }
            tensors.add(t);
        }
        long header = in.position();
        long data = (header + alignment - 1) / alignment * alignment;
        int version32 = (int) version;
        return new GgufFile(location, version32, alignment, header, data, metadata, tensors);
    }

    private TensorInfo tensor(int alignment) {
        String name = in.string("a tensor name");
        in.context("tensor '" + name + "'");
        long dims = in.u32();
        if (dims > MAX_DIMS) {
            throw in.error("tensor '" + name + "' has " + dims + " dimensions; GGUF tensors have at most " + MAX_DIMS);
        }
        long[] ne = new long[(int) dims];
        long elements = 1;
        for (int d = 0; d < dims; d++) {
            ne[d] = in.i64();
            if (ne[d] < 0) {
                throw in.error("tensor '" + name + "' has a negative dimension " + ne[d]);
            }
            try {
                elements = Math.multiplyExact(elements, ne[d]);
            } catch (ArithmeticException e) {
                throw in.error("tensor '" + name + "' has more elements than a 64-bit count holds");
            }
        }
        long typeId = in.u32();
        GgmlType type;
        try {
            type = GgmlType.ofId(typeId, name);
        } catch (InvalidModelSourceException e) {
            throw in.error(e.getMessage());
        }
        long row = dims == 0 ? 1 : ne[0];
        if (row % type.blockSize() != 0) {
            throw in.error("tensor '" + name + "' of type " + type + " has rows of " + row
                    + " elements, not a multiple of the type's block of " + type.blockSize());
        }
        long offset = in.i64();
        if (offset < 0 || offset % alignment != 0) {
            throw in.error("tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                    + ", not a multiple of the alignment " + alignment);
        }
        List<Long> shape = new ArrayList<>();
        for (int d = ne.length - 1; d >= 0; d--) {
            shape.add(ne[d]);
        }
        long bytes;
        try {
            bytes = type.bytes(elements, row == 0 ? type.blockSize() : row);
        } catch (ArithmeticException e) {
            throw in.error("tensor '" + name + "' has more bytes than a 64-bit count holds");
        }
        return new TensorInfo(name, type, shape, elements, bytes, label, offset, Modality.ofTensor(name));
    }

    private int alignment(GgufKv kv) {
        if (kv == null) {
            return DEFAULT_ALIGNMENT;
        }
        Long a = kv.asLong();
        if (kv.type() != GgufValueType.UINT32 || a == null || a == 0 || Long.bitCount(a) != 1) {
            throw in.error("general.alignment must be a UINT32 power of two, but is " + kv.type() + " " + kv.value());
        }
        return a.intValue();
    }

    private GgufValueType valueType(long id, String key) {
        GgufValueType t = GgufValueType.ofId(id);
        if (t == null) {
            throw in.error("metadata '" + key + "' has unknown value type " + id + " (GGUF value types are 0-12)");
        }
        return t;
    }

    private Object scalar(GgufValueType type, String key) {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> (long) in.u16();
            case INT16 -> (long) (short) in.u16();
            case UINT32 -> in.u32();
            case INT32 -> (long) in.i32();
            case FLOAT32 -> (double) Float.intBitsToFloat(in.i32());
            case BOOL -> in.u8() != 0;
            case STRING -> in.string("the string '" + key + "'");
            case UINT64, INT64 -> in.i64();
            case FLOAT64 -> Double.longBitsToDouble(in.i64());
            case ARRAY -> throw new IllegalStateException("arrays are read by array()");
        };
    }

    private GgufArray array(String key, int depth) {
        GgufValueType type = valueType(in.u32(), key);
        long n = in.count("the length of array '" + key + "'", type.minBytes());
        if (type == GgufValueType.ARRAY) {
            if (depth >= 8 || (nestedArrays += (int) n) > MAX_NESTED_ARRAYS) {
                throw in.error("array '" + key + "' nests arrays too deeply or too often");
            }
            List<GgufArray> inner = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                inner.add(array(key, depth + 1));
            }
            return GgufArray.ofArrays(inner);
        }
        int start = in.position();
        if (type == GgufValueType.STRING) {
            int[] starts = new int[(int) n];
            for (int i = 0; i < n; i++) {
                starts[i] = in.position() - start;
                in.skip(in.count("the length of a string in array '" + key + "'", 1));
            }
            return GgufArray.ofStrings(in.copySince(start), starts);
        }
        in.skip(n * type.minBytes());
        return GgufArray.ofFixed(type, in.copySince(start), (int) n);
    }

    private static String hex(int v) {
        return String.format("%02X %02X %02X %02X", v & 0xff, v >>> 8 & 0xff, v >>> 16 & 0xff, v >>> 24 & 0xff);
    }
}
