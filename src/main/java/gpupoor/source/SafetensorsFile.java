package gpupoor.source;

import java.util.List;
import java.util.Map;

/**
 * The header of one safetensors file, exactly as stored.
 *
 * @param location    the file's path or URL
 * @param headerBytes the 8-byte length plus the JSON header: where the tensor data starts
 * @param metadata    the {@code __metadata__} strings (empty when absent)
 * @param tensors     the tensors in header order
 */
public record SafetensorsFile(String location, long headerBytes, Map<String, String> metadata,
                              List<TensorInfo> tensors) {
    /** Keeps the map and list unmodifiable. */
    public SafetensorsFile {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }
}
