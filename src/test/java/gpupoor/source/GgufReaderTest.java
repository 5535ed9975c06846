package gpupoor.source;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GGUF header reader on headers written byte by byte: what it reads, and clear errors for broken ones. */
class GgufReaderTest {

    static GgufFile read(byte[] bytes) {
        return GgufReader.read(new MemoryBytes("t.gguf", bytes), "t.gguf", 64);
    }

    static String error(byte[] bytes) {
        return assertThrows(InvalidModelSourceException.class, () -> read(bytes)).getMessage();
    }

    static GgufBytes small() {
        return new GgufBytes().string("general.architecture", "llama").uint32("llama.block_count", 2)
                .tensor("blk.0.attn_q.weight", 12, 288, 256, 2);
    }

    @Test
    void readsMetadataOfEveryKindAndTensorInfos() {
        GgufBytes g = new GgufBytes().string("general.architecture", "llama")
                .uint32("llama.block_count", 2)
                .float32("llama.rope.freq_base", 0.5f)
                .bool("general.flag", true)
                .ints("llama.attention.head_count_kv", 5, 8, -1, 0)
                .strings("tokenizer.ggml.tokens", "a", "bé", "")
                .bools("llama.attention.sliding_window_pattern", true, false)
                .raw("general.u64", 10, GgufBytes.le64(-1))
                .raw("general.i8", 1, new byte[]{(byte) 0xff})
                .raw("general.u16", 2, new byte[]{(byte) 0xff, (byte) 0xff})
                .raw("general.f64", 12, GgufBytes.le64(Double.doubleToLongBits(2.25)))
                .tensor("blk.0.attn_q.weight", 12, 288, 256, 2)
                .tensor("blk.0.ffn_down.weight", 29, 336, 512, 3)
                .tensor("output_norm.weight", 0, 28, 7);
        byte[] header = g.header();
        GgufFile f = read(g.file());
        assertEquals(3, f.version());
        assertEquals(32, f.alignment());
        assertEquals(header.length, f.headerBytes());
        assertEquals((header.length + 31) / 32 * 32, f.dataOffset());
        assertEquals("llama", f.architecture());
        assertEquals(2L, f.get("llama.block_count").value());
        assertEquals(0.5, f.get("llama.rope.freq_base").value());
        assertEquals(true, f.get("general.flag").value());
        assertEquals(List.of(8L, -1L, 0L), f.get("llama.attention.head_count_kv").value());
        assertEquals(GgufValueType.INT32, f.get("llama.attention.head_count_kv").elementType());
        assertEquals(List.of("a", "bé", ""), f.get("tokenizer.ggml.tokens").value());
        assertEquals(List.of(true, false), f.get("llama.attention.sliding_window_pattern").value());
        assertEquals("18446744073709551615", Long.toUnsignedString((Long) f.get("general.u64").value()));
        assertEquals(-1L, f.get("general.i8").value());
        assertEquals(65535L, f.get("general.u16").value());
        assertEquals(2.25, f.get("general.f64").value());
        assertEquals(List.of("general.architecture", "llama.block_count", "llama.rope.freq_base", "general.flag",
                "llama.attention.head_count_kv", "tokenizer.ggml.tokens", "llama.attention.sliding_window_pattern",
                "general.u64", "general.i8", "general.u16", "general.f64"), List.copyOf(f.metadata().keySet()));

        TensorInfo q = f.tensors().get(0);
        assertEquals(GgmlType.Q4_K, q.type());
        assertEquals(List.of(2L, 256L), q.shape());
        assertEquals(512, q.elements());
        assertEquals(2 * 144, q.bytes());
        assertEquals(0, q.offset());
        TensorInfo d = f.tensors().get(1);
        assertEquals(GgmlType.IQ1_M, d.type());
        assertEquals(3 * 2 * 56, d.bytes());
        assertEquals(288, d.offset());
        assertEquals(28, f.tensors().get(2).bytes());
        assertEquals(List.of(7L), f.tensors().get(2).shape());
    }

    @Test
    void notAGgufFile() {
        assertTrue(error("{\"hidden_size\": 4096, \"x\": 1}".getBytes()).contains("is not a GGUF file: it starts with bytes 7B 22 68 69"));
        assertTrue(error(new byte[]{'G', 'G'}).contains("is not a GGUF file: it has only 2 bytes"));
    }

    @Test
    void everyTruncationOfAHeaderIsAClearError() {
        byte[] h = small().strings("tokenizer.ggml.tokens", "x", "y").header();
        for (int n = 0; n < h.length; n++) {
            String m = error(Arrays.copyOf(h, n));
            assertTrue(m.contains("t.gguf") && (m.contains("truncated") || m.contains("not a GGUF file")
                    || m.contains("more than the")), n + ": " + m);
        }
    }

    @Test
    void absurdCountsAndLengthsAreRefusedBeforeAnythingIsAllocated() {
        GgufBytes g = small();
        assertTrue(error(g.header(Long.MAX_VALUE / 2, 2)).contains("the tensor count is 4611686018427387903, more than the"));
        assertTrue(error(g.header(1, 1L << 40)).contains("the metadata count is 1099511627776, more than the"));
        byte[] hugeKey = new GgufBytes().raw("k", 8, GgufBytes.le64(1L << 50)).header();
        assertTrue(error(hugeKey).contains("the length of the string 'k' is 1125899906842624"), error(hugeKey));
        byte[] hugeArray = new GgufBytes().raw("a", 9, concat(new byte[]{6, 0, 0, 0}, GgufBytes.le64(1L << 40))).header();
        assertTrue(error(hugeArray).contains("the length of array 'a' is 1099511627776"), error(hugeArray));
        byte[] negative = new GgufBytes().raw("a", 9, concat(new byte[]{8, 0, 0, 0}, GgufBytes.le64(-5))).header();
        assertTrue(error(negative).contains("the length of array 'a' is 18446744073709551611"), error(negative));
    }

    @Test
    void aSourceOfUnknownSizeIsReadNoFurtherThanTheLimit() {
        // a remote file whose size is not known: a claimed length past the header limit is refused before it is
        // fetched, and lengths within it are fetched only up to the limit
        long[] served = new long[1];
        byte[] claim = new GgufBytes().raw("k", 8, GgufBytes.le64(40L << 20)).header(0, 1);
        String m = assertThrows(InvalidModelSourceException.class,
                () -> GgufReader.read(endless(claim, served), "x.gguf", 4096)).getMessage();
        assertTrue(m.contains("the length of the string 'k' is 41943040, more than the"), m);
        assertTrue(served[0] <= 4096, "read " + served[0]);

        served[0] = 0;
        ByteArrayOutputStream array = new ByteArrayOutputStream();
        GgufBytes.i32(array, 8);
        GgufBytes.i64(array, 3);
        byte[] start = new GgufBytes().raw("tokens", 9, array.toByteArray()).header(0, 1);
        long item = 8 + (15L << 20);
        byte[] length = GgufBytes.le64(15L << 20);
        ByteSource strings = endless(start, served, x -> (x - start.length) % item < 8 ? length[(int) ((x - start.length) % item)] : 0);
        String m2 = assertThrows(InvalidModelSourceException.class, () -> GgufReader.read(strings, "x.gguf", 4096)).getMessage();
        assertTrue(m2.contains("a string in array 'tokens'") && m2.contains("more than the"), m2);
        assertTrue(served[0] > 30L << 20 && served[0] <= GgufReader.MAX_HEADER_BYTES, "read " + served[0]);
    }

    private static ByteSource endless(byte[] start, long[] served) {
        return endless(start, served, x -> (byte) 0);
    }

    /** An endless remote file: {@code start}, then {@code rest}'s bytes; counts the bytes served. */
    private static ByteSource endless(byte[] start, long[] served, java.util.function.LongFunction<Byte> rest) {
        return new ByteSource() {
            @Override
            public String describe() {
                return "https://example.org/x.gguf";
            }

            @Override
            public long size() {
                return -1;
            }

            @Override
            public byte[] read(long offset, int length) {
                served[0] += length;
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    long x = offset + i;
                    b[i] = x < start.length ? start[(int) x] : rest.apply(x);
                }
                return b;
            }
        };
    }

    @Test
    void unknownAndRemovedTypesAreNamed() {
        String unknown = error(new GgufBytes().tensor("w", 99, 4, 1).header());
        assertTrue(unknown.contains("tensor 'w' has unknown ggml type id 99") && unknown.contains("39 MXFP4"), unknown);
        String removed = error(new GgufBytes().tensor("w", 31, 4, 1).header());
        assertTrue(removed.contains("tensor 'w' has ggml type 31 (Q4_0_4_4, removed from GGUF files"), removed);
        String value = error(new GgufBytes().raw("k", 13, new byte[4]).header());
        assertTrue(value.contains("metadata 'k' has unknown value type 13"), value);
    }

    @Test
    void badVersionsDimensionsOffsetsAndDuplicates() {
        assertTrue(error(small().version(1).header()).contains("GGUF version 1"));
        assertTrue(error(small().version(7).header()).contains("unsupported GGUF version 7 (versions 2 and 3 are read)"));
        assertTrue(error(small().version(0x03000000L).header()).contains("big-endian"));
        assertEquals(2, read(small().version(2).header()).version());
        assertTrue(error(new GgufBytes().tensor("w", 0, 4, 1, 1, 1, 1, 1).header()).contains("has 5 dimensions"));
        assertTrue(error(new GgufBytes().tensor("w", 0, 4, 4, -1).header()).contains("negative dimension"));
        assertTrue(error(new GgufBytes().tensorAt("w", 0, 7, 16, 4).header()).contains("not a multiple of the alignment 32"));
        assertTrue(error(new GgufBytes().tensor("w", 12, 144, 100, 2).header())
                .contains("tensor 'w' of type Q4_K has rows of 100 elements, not a multiple of the type's block of 256"));
        assertTrue(error(new GgufBytes().tensor("w", 0, 4, 1).tensor("w", 0, 4, 1).header()).contains("tensor 'w' appears twice"));
        assertTrue(error(new GgufBytes().uint32("k", 1).uint32("k", 2).header()).contains("metadata key 'k' appears twice"));
        assertTrue(error(new GgufBytes().alignment(48).header()).contains("general.alignment must be a UINT32 power of two"));
        assertTrue(error(new GgufBytes().tensor("w", 0, 0, 1L << 62, 1L << 62).header()).contains("more elements than"));
    }

    @Test
    void aCustomAlignmentMovesTheData() {
        GgufBytes g = new GgufBytes().alignment(64).tensor("a", 0, 4, 1).tensor("b", 0, 4, 1);
        GgufFile f = read(g.header());
        assertEquals(64, f.alignment());
        assertEquals(64, f.tensors().get(1).offset());
        assertEquals((g.header().length + 63) / 64 * 64, f.dataOffset());
    }

    @Test
    void randomGarbageAfterAValidStartGivesOnlyClearErrors() {
        byte[] start = small().header();
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            byte[] b = Arrays.copyOf(start, start.length);
            int flips = 1 + random.nextInt(6);
            for (int k = 0; k < flips; k++) {
                b[8 + random.nextInt(b.length - 8)] = (byte) random.nextInt(256);
            }
            try {
                read(b);
            } catch (InvalidModelSourceException expected) {
                assertTrue(expected.getMessage().startsWith("t.gguf"), expected.getMessage());
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
