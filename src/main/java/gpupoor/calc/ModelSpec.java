package gpupoor.calc;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public record ModelSpec(String id, Source source, Map<String, Object> config, Map<String, Object> gpuPoorConfig,
                        double sizeBillions) {

    /** Where a model's facts came from. */
    public enum Source {
        /** {@code catalog/models/}: verified configs of modern models. */
        CATALOG,
        /** {@code catalog/gpu_poor/all_configs.json}: the original calculator's table. */
        GPU_POOR_TABLE,
        /** A {@code config.json} file the user pointed at. */
        CONFIG_FILE,
        /** Only a parameter count was given. */
        SIZE
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
