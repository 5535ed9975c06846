package gpupoor.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a safetensors file: an 8-byte little-endian length, then that many bytes of
 * JSON naming each tensor's dtype, shape and byte span. Only the header is read (locally, or with
 * one or two HTTP Range requests).
 */
final class SafetensorsReader {
    /** The safetensors format's own limit on the header ({@code MAX_HEADER_SIZE}). */
    static final int MAX_HEADER_BYTES = 100_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {
    }

    /**
     * Reads the header of {@code source}; {@code label} names the file in the tensor infos.
     *
     * @throws InvalidModelSourceException when it is not a safetensors file or its header is malformed
     */
    static SafetensorsFile read(ByteSource source, String label, int firstChunk) {
        String where = source.describe();
        HeaderCursor in = new HeaderCursor(source, MAX_HEADER_BYTES + 8, firstChunk);
        if (in.room() < 8) {
            throw new InvalidModelSourceException(where + " is not a safetensors file: it has only " + in.room() + " bytes");
        }
        long n = in.i64();
        if (n < 2 || n > MAX_HEADER_BYTES || n > in.room()) {
            throw new InvalidModelSourceException(where + " is not a safetensors file: its first 8 bytes give a header"
                    + " length of " + Long.toUnsignedString(n) + (n > in.room() ? ", more than the file holds" : "")
                    + " (a safetensors header is 2 to " + MAX_HEADER_BYTES + " bytes of JSON)");
        }
        in.context("the JSON header");
        in.skip(n);
        String text = new String(in.copySince(8), StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidModelSourceException(where + " is not a safetensors file: its header is not JSON ("
                    + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelSourceException(where + " is not a safetensors file: its header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                tensors.add(tensor(where, label, e.getKey(), e.getValue()));
            }
        }
        return new SafetensorsFile(where, 8 + n, metadata, tensors);
    }

    private static TensorInfo tensor(String where, String label, String name, JsonNode t) {
        JsonNode dtype = t.get("dtype");
        JsonNode shape = t.get("shape");
        JsonNode offsets = t.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new InvalidModelSourceException(where + ": tensor '" + name
                    + "' lacks a dtype, a shape or two data_offsets in the header");
        }
        SafetensorsDtype type = SafetensorsDtype.of(dtype.asText(), name);
        List<Long> dims = new ArrayList<>();
        long elements = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new InvalidModelSourceException(where + ": tensor '" + name + "' has an invalid dimension " + d);
            }
            dims.add(d.asLong());
            try {
                elements = Math.multiplyExact(elements, d.asLong());
            } catch (ArithmeticException e) {
                throw new InvalidModelSourceException(where + ": tensor '" + name + "' has too many elements");
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong() || begin < 0 || end < begin) {
            throw new InvalidModelSourceException(where + ": tensor '" + name + "' has invalid data_offsets " + offsets);
        }
        long expected;
        try {
            expected = type.bytes(elements, dims.isEmpty() ? 1 : dims.get(dims.size() - 1));
        } catch (InvalidModelSourceException | ArithmeticException e) {
            throw new InvalidModelSourceException(where + ": tensor '" + name + "': " + e.getMessage());
        }
        if (end - begin != expected) {
            throw new InvalidModelSourceException(where + ": tensor '" + name + "' spans " + (end - begin)
                    + " bytes, but " + elements + " elements of " + type + " take " + expected);
        }
        return new TensorInfo(name, type, dims, elements, end - begin, label, begin, Modality.ofTensor(name));
    }
}
