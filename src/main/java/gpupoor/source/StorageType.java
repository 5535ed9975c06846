package gpupoor.source;

/**
 * How a tensor's elements are stored: a ggml type of a GGUF file ({@link GgmlType}) or a dtype of a
 * safetensors file ({@link SafetensorsDtype}).
 */
public sealed interface StorageType permits GgmlType, SafetensorsDtype {
    /** The name the format itself uses: {@code Q4_K}, {@code IQ2_XXS}, {@code BF16}, {@code F8_E4M3}. */
    String id();

    /** Average bits per element, block scales included (4.5 for Q4_K, 8 for F8_E4M3). */
    double bitsPerElement();

    /**
     * Exact bytes of a tensor of this type with {@code elements} elements whose innermost dimension
     * is {@code rowLength}.
     *
     * @throws InvalidModelSourceException when the row length is not a whole number of blocks (or
     *                                     of bytes, for sub-byte types)
     */
    long bytes(long elements, long rowLength);
}
