package gpupoor.source;

import java.util.List;
import java.util.Map;

/**
 * The header of one GGUF file (one part of a split model), exactly as stored: format version,
 * metadata, tensor infos and where the tensor data starts.
 *
 * @param location    the file's path or URL
 * @param version     the GGUF version (2 or 3)
 * @param alignment   the data alignment ({@code general.alignment}, 32 when absent)
 * @param headerBytes the bytes of magic, counts, metadata and tensor infos
 * @param dataOffset  where the tensor data starts: {@code headerBytes} rounded up to the alignment
 * @param metadata    the key-value pairs in file order
 * @param tensors     the tensor infos in file order
 */
public record GgufFile(String location, int version, int alignment, long headerBytes, long dataOffset,
                       Map<String, GgufKv> metadata, List<TensorInfo> tensors) {
    /** Keeps the maps and lists unmodifiable (metadata keeps the file's order). */
    public GgufFile {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The metadata entry {@code key}, or null. */
    public GgufKv get(String key) {
        return metadata.get(key);
    }

    /** {@code general.architecture}, or null when absent. */
    public String architecture() {
        GgufKv kv = metadata.get("general.architecture");
        return kv != null && kv.value() instanceof String s ? s : null;
    }
}
