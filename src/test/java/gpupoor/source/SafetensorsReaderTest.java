package gpupoor.source;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors header reader: exact bytes per dtype, and clear errors for broken headers. */
class SafetensorsReaderTest {

    static SafetensorsFile read(byte[] b) {
        return SafetensorsReader.read(new MemoryBytes("m.safetensors", b), "m.safetensors", 16);
    }

    static String error(byte[] b) {
        return assertThrows(InvalidModelSourceException.class, () -> read(b)).getMessage();
    }

    @Test
    void readsDtypesShapesAndExactBytes() {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"model.embed_tokens.weight\":{\"dtype\":\"BF16\",\"shape\":[10,4],\"data_offsets\":[0,80]},"
                + "\"model.layers.0.mlp.down_proj.weight\":{\"dtype\":\"F8_E4M3\",\"shape\":[4,8],\"data_offsets\":[80,112]},"
                + "\"model.layers.0.mlp.experts.gate_up_proj_blocks\":{\"dtype\":\"U8\",\"shape\":[2,4,16],\"data_offsets\":[112,240]},"
                + "\"packed\":{\"dtype\":\"F4\",\"shape\":[3,4],\"data_offsets\":[240,246]},"
                + "\"qweight\":{\"dtype\":\"I32\",\"shape\":[2,3],\"data_offsets\":[246,270]},"
                + "\"vision_tower.blocks.0.attn.qkv.weight\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[270,272]}}";
        SafetensorsFile f = read(SafetensorsBytes.file(json, 272));
        assertEquals(8 + json.length(), f.headerBytes());
        assertEquals("pt", f.metadata().get("format"));
        List<TensorInfo> t = f.tensors();
        assertEquals(6, t.size());
        assertEquals(SafetensorsDtype.BF16, t.get(0).type());
        assertEquals(List.of(10L, 4L), t.get(0).shape());
        assertEquals(80, t.get(0).bytes());
        assertEquals(32, t.get(1).bytes());
        assertEquals(80, t.get(1).offset());
        assertEquals(128, t.get(2).elements());
        assertEquals(6, t.get(3).bytes());
        assertEquals(24, t.get(4).bytes());
        assertEquals(1, t.get(5).elements());
        assertEquals(Modality.VISION, t.get(5).modality());
        assertEquals(Modality.TEXT, t.get(0).modality());
    }

    @Test
    void brokenHeadersGetClearErrors() {
        assertTrue(error(new byte[5]).contains("is not a safetensors file: it has only 5 bytes"));
        byte[] huge = SafetensorsBytes.file("{}", 0);
        huge[7] = 0x7f;
        assertTrue(error(huge).contains("header length of 9151314442816847874, more than the file holds"), error(huge));
        assertTrue(error(SafetensorsBytes.file("[1,2]", 0)).contains("its header is not a JSON object"));
        assertTrue(error(SafetensorsBytes.file("{\"a\":", 0)).contains("its header is not JSON"));
        assertTrue(error(SafetensorsBytes.file("{\"w\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2))
                .contains("tensor 'w' has unknown safetensors dtype 'F12'; known dtypes: BOOL, F4"));
        assertTrue(error(SafetensorsBytes.file("{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,4]}}", 4))
                .contains("tensor 'w' spans 4 bytes, but 3 elements of F16 take 6"));
        assertTrue(error(SafetensorsBytes.file("{\"w\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2))
                .contains("does not fill whole bytes"));
        assertTrue(error(SafetensorsBytes.file("{\"w\":{\"dtype\":\"F16\",\"shape\":[-3],\"data_offsets\":[0,2]}}", 2))
                .contains("invalid dimension -3"));
        assertTrue(error(SafetensorsBytes.file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1]}}", 2))
                .contains("tensor 'w' lacks a dtype, a shape or two data_offsets"));
        byte[] whole = SafetensorsBytes.file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2);
        for (int n = 0; n < whole.length - 2; n++) {
            String m = error(Arrays.copyOf(whole, n));
            assertTrue(m.startsWith("m.safetensors"), m);
        }
    }
}
