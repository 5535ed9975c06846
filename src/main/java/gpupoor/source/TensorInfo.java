package gpupoor.source;

import java.util.List;

/**
 * One tensor of a weight file, as its header states it.
 *
 * <p>Exact (read from the header): {@code name}, {@code type}, {@code shape}, {@code elements},
 * {@code bytes}, {@code file} and {@code offset}. {@code shape} is row-major, outermost dimension
 * first, for both formats (a GGUF header stores ggml's {@code ne[]}, innermost first; it is reversed
 * here), so the last entry is the row length. {@code bytes} is what the tensor occupies in the file:
 * for GGUF {@code elements / blockSize × typeSize} of its ggml type, for safetensors the span of its
 * {@code data_offsets} (checked against {@code elements × bits / 8}). Derived: {@code modality}
 * (from the name, see {@link Modality#ofTensor}).
 *
 * @param name     the tensor's name in the file
 * @param type     its storage type (a ggml type or a safetensors dtype)
 * @param shape    its dimensions, outermost first
 * @param elements the product of the dimensions
 * @param bytes    the bytes its data takes in the file
 * @param file     the file (or split part) that holds it, as named in the source
 * @param offset   the offset of its data from the start of that file's data section
 * @param modality the part of the model it belongs to
 */
public record TensorInfo(String name, StorageType type, List<Long> shape, long elements, long bytes, String file,
                         long offset, Modality modality) {
    /** Copies the shape so that the record stays immutable. */
    public TensorInfo {
        shape = List.copyOf(shape);
    }
}
