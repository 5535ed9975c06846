package gpupoor.calc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as the user named it: its Hugging Face {@code config.json} keys (as found in the
 * catalog, the original's table or a file), or only a size in billions of parameters. Each method
 * reads the keys it understands: {@link GpuPoorMethod} reads them exactly as the original did, the
 * default method reads the modern ones too (GQA, MoE, MLA, sliding windows, tied embeddings).
 *
 * @param id            the id the user gave (catalog id, file path or e.g. {@code 7B})
 * @param source        where the facts came from
 * @param config        the config keys, unmodifiable (empty for {@link Source#SIZE})
 * @param gpuPoorConfig the keys the original calculator has for this id (its own table's entry when the
 *                      id is in it, so the gpu-poor method reproduces it exactly), else {@code config}
 * @param sizeBillions  the size for {@link Source#SIZE}, else 0
 * @param weights       the weight files' own tensor list (a GGUF or safetensors header), or null when only
 *                      the config is known
 */
public record ModelSpec(String id, Source source, Map<String, Object> config, Map<String, Object> gpuPoorConfig,
                        double sizeBillions, Weights weights) {

    /** Where a model's facts came from. */
    public enum Source {
        /** {@code catalog/models/}: verified configs of modern models. */
        CATALOG,
        /** {@code catalog/gpu_poor/all_configs.json}: the original calculator's table. */
        GPU_POOR_TABLE,
        /** A {@code config.json} file the user pointed at. */
        CONFIG_FILE,
        /** Only a parameter count was given. */
        SIZE,
        /** The Hugging Face Hub (or its cache): config.json and the safetensors headers. */
        HUB,
        /** A GGUF file's header (local, a URL, or a file on the Hub). */
        GGUF,
        /** A local model directory: config.json and the safetensors headers. */
        DIRECTORY
    }

    /**
     * The weights as their files store them: every tensor with its storage type and exact bytes.
     *
     * @param tensors     every tensor of every weight file
     * @param quant       the quantization they amount to (a GGUF file's type, {@link Quant#NONE} for
     *                    16-bit or a checkpoint's own format), the default when none is asked for
     * @param description where they came from and how they are stored, in words
     */
    public record Weights(List<WeightTensor> tensors, Quant quant, String description) {
        /** Copies the list. */
        public Weights {
            tensors = List.copyOf(tensors);
        }

        /** Bytes of all tensors. */
        public long totalBytes() {
            return tensors.stream().mapToLong(WeightTensor::bytes).sum();
        }
    }

    /**
     * One tensor of a weight file.
     *
     * @param name   its name in the file ({@code blk.3.attn_q.weight}, {@code model.layers.3.self_attn.q_proj.weight})
     * @param type   its storage type ({@code Q4_K}, {@code BF16}, {@code F8_E4M3}, {@code I32})
     * @param shape  its dimensions, outermost first (the last is the row length)
     * @param bytes  the bytes it takes in the file
     * @param vision whether it belongs to a vision (or audio) tower rather than the text model
     */
    public record WeightTensor(String name, String type, List<Long> shape, long bytes, boolean vision) {
        /** Copies the shape. */
        public WeightTensor {
            shape = List.copyOf(shape);
        }
    }

    /**
     * Copies the config into an unmodifiable map (nulls kept: the original treats them as "absent")
     * and checks its numbers (integers in range, consistent with each other: {@link ModelConfig}).
     *
     * @throws InvalidScenarioException naming the key that is wrong and what is accepted
     */
    public ModelSpec {
        if (id == null || source == null) {
            throw new InvalidScenarioException("a model needs an id and a source");
        }
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        ModelConfig.check(id, config);
        if (gpuPoorConfig == null) {
            gpuPoorConfig = config;
        } else {
            gpuPoorConfig = Collections.unmodifiableMap(new LinkedHashMap<>(gpuPoorConfig));
            ModelConfig.check(id, gpuPoorConfig);
        }
        if (source == Source.SIZE) {
            Limits.checkSize(sizeBillions);
        }
    }

    /** A model without a tensor list. */
    public ModelSpec(String id, Source source, Map<String, Object> config, Map<String, Object> gpuPoorConfig,
                     double sizeBillions) {
        this(id, source, config, gpuPoorConfig, sizeBillions, null);
    }

    /** A model read from its files: its config and the tensor list its weight headers state. */
    public static ModelSpec of(String id, Source source, Map<String, Object> config, Weights weights) {
        return new ModelSpec(id, source, config, null, 0, weights);
    }

    /** A model whose facts come from one config (used by both methods). */
    public static ModelSpec of(String id, Source source, Map<String, Object> config) {
        return new ModelSpec(id, source, config, null, 0);
    }

    /**
     * A model known only by its size in billions of parameters.
     *
     * @throws InvalidScenarioException unless the size lies in {@link Limits} ({@code 0.02} to {@code 100,000})
     */
    public static ModelSpec ofSize(double billions) {
        Limits.checkSize(billions);
        return new ModelSpec(NumberText.plain(billions) + "B", Source.SIZE, Map.of(), null, billions);
    }

    /** Whether only the size is known. */
    public boolean isSizeOnly() {
        return source == Source.SIZE;
    }

    /** The first of {@code keys} present in the config with a numeric value, else {@code fallback}. */
    public double number(double fallback, String... keys) {
        for (String k : keys) {
            if (config.containsKey(k)) {
                Object v = config.get(k);
                return v instanceof Number n ? n.doubleValue() : fallback;
            }
        }
        return fallback;
    }

    /** Whether any of {@code keys} is present with a non-null value. */
    public boolean has(String... keys) {
        for (String k : keys) {
            if (config.get(k) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return id;
    }
}
