package gpupoor.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.source.GgufFile;
import gpupoor.source.GgufKv;
import gpupoor.source.Modality;
import gpupoor.source.ModelSource;
import gpupoor.source.Origin;
import gpupoor.source.TensorInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model read by {@link gpupoor.source.ModelSources} (a Hub repository, a GGUF file, a model
 * directory, a config.json) as the engine's {@link ModelSpec}: the text model's config keys (with
 * {@code vision_config} and the checkpoint's {@code quantization_config}), and, when weight headers
 * were read, every tensor with its storage type and exact bytes ({@link ModelSpec.Weights}), stored
 * as a GGUF file's own type ({@code general.file_type}) or, for safetensors, as published
 * ({@link Quant#NONE}).
 */
final class SourceModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    /** llama.cpp's {@code llama_ftype} values, as {@code general.file_type} stores them, and their names. */
    private static final Map<Long, String> FILE_TYPES = Map.ofEntries(
            Map.entry(0L, "F32"), Map.entry(1L, "F16"), Map.entry(2L, "Q4_0"), Map.entry(3L, "Q4_1"),
            Map.entry(7L, "Q8_0"), Map.entry(8L, "Q5_0"), Map.entry(9L, "Q5_1"), Map.entry(10L, "Q2_K"),
            Map.entry(11L, "Q3_K_S"), Map.entry(12L, "Q3_K_M"), Map.entry(13L, "Q3_K_L"), Map.entry(14L, "Q4_K_S"),
            Map.entry(15L, "Q4_K_M"), Map.entry(16L, "Q5_K_S"), Map.entry(17L, "Q5_K_M"), Map.entry(18L, "Q6_K"),
            Map.entry(19L, "IQ2_XXS"), Map.entry(20L, "IQ2_XS"), Map.entry(21L, "Q2_K_S"), Map.entry(22L, "IQ3_XS"),
            Map.entry(23L, "IQ3_XXS"), Map.entry(24L, "IQ1_S"), Map.entry(25L, "IQ4_NL"), Map.entry(26L, "IQ3_S"),
            Map.entry(27L, "IQ3_M"), Map.entry(28L, "IQ2_S"), Map.entry(29L, "IQ2_M"), Map.entry(30L, "IQ4_XS"),
            Map.entry(31L, "IQ1_M"), Map.entry(32L, "BF16"), Map.entry(36L, "TQ1_0"), Map.entry(37L, "TQ2_0"),
            Map.entry(38L, "MXFP4_MOE"));

    private SourceModels() {
    }

    /** The engine's view of a model source. */
    static ModelSpec of(ModelSource src) {
        Map<String, Object> config = JSON.convertValue(src.config(), MAP);
        ObjectNode vision = src.vision();
        if (vision != null && !config.containsKey("vision_config")) {
            config.put("vision_config", JSON.convertValue(vision, MAP));
        }
        ObjectNode raw = src.rawConfig();
        if (raw != null && !config.containsKey("quantization_config") && raw.get("quantization_config") instanceof ObjectNode qc) {
            config.put("quantization_config", JSON.convertValue(qc, MAP));
        }
        ModelSpec.Weights weights = src.tensors().isEmpty() ? null : weights(src);
        return ModelSpec.of(src.reference(), source(src), config, weights);
    }

    private static ModelSpec.Source source(ModelSource src) {
        if (src.format() == ModelSource.Format.GGUF) {
            return ModelSpec.Source.GGUF;
        }
        if (src.origin().kind() == Origin.Kind.HUB) {
            return ModelSpec.Source.HUB;
        }
        return src.format() == ModelSource.Format.CONFIG ? ModelSpec.Source.CONFIG_FILE : ModelSpec.Source.DIRECTORY;
    }

    private static ModelSpec.Weights weights(ModelSource src) {
        List<ModelSpec.WeightTensor> tensors = new ArrayList<>(src.tensors().size());
        for (TensorInfo t : src.tensors()) {
            tensors.add(new ModelSpec.WeightTensor(t.name(), t.type().id(), t.shape(), t.bytes(), t.modality() != Modality.TEXT));
        }
        Origin o = src.origin();
        String where = switch (o.kind()) {
            case HUB -> "the Hub's " + o.repo() + (o.commit() != null ? " at " + o.commit().substring(0, Math.min(12, o.commit().length())) : "");
            case URL -> src.reference();
            case LOCAL -> src.reference();
        };
        if (src.format() == ModelSource.Format.GGUF) {
            GgufFile first = src.ggufFiles().get(0);
            GgufKv ft = first.get("general.file_type");
            String type = ft != null && ft.asLong() != null ? FILE_TYPES.get(ft.asLong()) : null;
            Quant q = ggufQuant(type, src);
            String parts = src.ggufFiles().size() > 1 ? src.ggufFiles().size() + " GGUF parts of " : "GGUF ";
            return new ModelSpec.Weights(tensors, q, parts + where + (type != null ? ", file type " + type : "")
                    + (type == null || !q.id().endsWith(type) ? ", run with " + q.id() + "'s kernels" : ""));
        }
        return new ModelSpec.Weights(tensors, Quant.NONE, "safetensors headers of " + where
                + (src.quantization() != null ? ", " + src.quantization().name() + " quantization" : ""));
    }

    /**
     * The GGUF quantization a file amounts to: its {@code general.file_type} where we have that mix,
     * else the one whose nominal bits are closest to the file's own bits per weight (the bytes are
     * the file's either way; the type picks the speed model's kernels).
     */
    private static Quant ggufQuant(String type, ModelSource src) {
        if (type != null) {
            String t = type.equals("BF16") || type.equals("F32") ? "F16" : type;
            for (Quant q : Quant.values()) {
                if (q.isGguf() && q.id().equalsIgnoreCase("gguf-" + t)) {
                    return q;
                }
            }
        }
        long elements = src.totalElements();
        double bits = elements > 0 ? 8.0 * src.totalBytes() / elements : 16;
        Quant best = Quant.GGUF_F16;
        for (Quant q : Quant.values()) {
            if (q.isGguf() && Math.abs(q.nominalBits() - bits) < Math.abs(best.nominalBits() - bits)) {
                best = q;
            }
        }
        return best;
    }
}
