package gpupoor.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes safetensors files from a JSON header text (the format: 8-byte little-endian length, header, data). */
final class SafetensorsBytes {
    private SafetensorsBytes() {
    }

    /** A file with header {@code json} followed by {@code dataBytes} zero bytes. */
    static byte[] file(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }
}
