package gpupoor.source;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model reference describes, read from its files: the text model's config, the vision
 * tower's, the exact tensor list, the quantization, generation defaults, and where it came from.
 *
 * <p>Exact: {@code tensors} (as the weight headers state them), {@code vision},
 * {@code generation} and {@code rawConfig} (as written), {@code config} for a config.json source
 * (the file, or its {@code text_config}/{@code llm_config}/{@code language_config} with
 * {@code tie_word_embeddings}/{@code torch_dtype} taken from the outer config when the nested one
 * lacks them — listed in {@code notes}), {@code ggufFiles}. Derived: {@code config} for a GGUF
 * source (see {@link GgufConfig}), {@code quantization} (see {@link Quantization}),
 * {@link TensorInfo#modality()}, and the totals.
 *
 * @param reference  the reference as given
 * @param format     what the description was read from
 * @param config     the text model's config in config.json terms
 * @param rawConfig  the whole config.json (null for GGUF)
 * @param vision     {@code vision_config}, or null
 * @param generation {@code generation_config.json}, or null when there is none
 * @param quantization how the weights are quantized, or null when the source does not say (unquantized)
 * @param tensors    every tensor of every weight file, in file order (empty when there are no weight headers)
 * @param ggufFiles  the GGUF headers, one per split part (empty unless GGUF)
 * @param origin     where it came from
 * @param notes      what was derived or is missing, for the user
 */
public record ModelSource(String reference, Format format, ObjectNode config, ObjectNode rawConfig, ObjectNode vision,
                          ObjectNode generation, Quantization quantization, List<TensorInfo> tensors,
                          List<GgufFile> ggufFiles, Origin origin, List<String> notes) {

    /** What a description was read from. */
    public enum Format {
        /** A config.json only: no weight headers, so no tensor list. */
        CONFIG,
        /** A config.json and the safetensors headers of the weights. */
        SAFETENSORS,
        /** GGUF headers. */
        GGUF
    }

    /** Copies the mutable parts so that the record stays immutable. */
    public ModelSource {
        config = config.deepCopy();
        rawConfig = rawConfig == null ? null : rawConfig.deepCopy();
        vision = vision == null ? null : vision.deepCopy();
        generation = generation == null ? null : generation.deepCopy();
        tensors = List.copyOf(tensors);
        ggufFiles = List.copyOf(ggufFiles);
        notes = List.copyOf(notes);
    }

    /** The text model's config (a copy). */
    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** The whole config.json (a copy), or null. */
    @Override
    public ObjectNode rawConfig() {
        return rawConfig == null ? null : rawConfig.deepCopy();
    }

    /** {@code vision_config} (a copy), or null. */
    @Override
    public ObjectNode vision() {
        return vision == null ? null : vision.deepCopy();
    }

    /** {@code generation_config.json} (a copy), or null. */
    @Override
    public ObjectNode generation() {
        return generation == null ? null : generation.deepCopy();
    }

    /** Bytes of all tensors: the weights' exact size on disk, headers excluded. */
    public long totalBytes() {
        return tensors.stream().mapToLong(TensorInfo::bytes).sum();
    }

    /** Elements of all tensors (for packed formats, of the packed words). */
    public long totalElements() {
        return tensors.stream().mapToLong(TensorInfo::elements).sum();
    }

    /** Tensor count, elements and bytes per storage type, largest bytes first. */
    public Map<String, Totals> totalsByType() {
        return totals(t -> t.type().id());
    }

    /** Tensor count, elements and bytes per modality (text, vision, audio). */
    public Map<String, Totals> totalsByModality() {
        return totals(t -> t.modality().name().toLowerCase(java.util.Locale.ROOT));
    }

    private Map<String, Totals> totals(java.util.function.Function<TensorInfo, String> key) {
        Map<String, Totals> m = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            m.merge(key.apply(t), new Totals(1, t.elements(), t.bytes()),
                    (a, b) -> new Totals(a.tensors() + b.tensors(), a.elements() + b.elements(), a.bytes() + b.bytes()));
        }
        Map<String, Totals> sorted = new LinkedHashMap<>();
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * Sums over a group of tensors.
     *
     * @param tensors  how many
     * @param elements their elements
     * @param bytes    their bytes
     */
    public record Totals(long tensors, long elements, long bytes) {
    }
}
