package gpupoor.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Names;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bundled catalog ({@code catalog/} in the repository, packaged into the jar): model configs,
 * hardware, and the original calculator's tables. Names are looked up case-insensitively, with
 * did-you-mean suggestions when nothing matches.
 */
public final class Catalog {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*b?\\s*");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static volatile Catalog instance;

    private final Map<String, Map<String, Object>> models;
    private final Map<String, Map<String, Object>> gpuPoorModels;
    private final Map<String, Hardware> hardware;
    private final Map<String, String> gpuPoorAliases;
    private final Map<String, GpuPoorSpec> gpuPoorSpecs;
    private final Map<String, String> vendors;

    private Catalog(Map<String, Map<String, Object>> models, Map<String, Map<String, Object>> gpuPoorModels,
                    Map<String, Hardware> hardware, Map<String, String> gpuPoorAliases,
                    Map<String, GpuPoorSpec> gpuPoorSpecs, Map<String, String> vendors) {
        this.models = models;
        this.gpuPoorModels = gpuPoorModels;
        this.hardware = hardware;
        this.gpuPoorAliases = gpuPoorAliases;
        this.gpuPoorSpecs = gpuPoorSpecs;
        this.vendors = vendors;
    }

    /** The bundled catalog, loaded once from the classpath. */
    public static Catalog get() {
        Catalog c = instance;
        if (c == null) {
            synchronized (Catalog.class) {
                c = instance;
                if (c == null) {
                    c = load();
                    instance = c;
                }
            }
        }
        return c;
    }

    private static Catalog load() {
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        for (String line : resourceText("catalog/models/index.txt").split("\n")) {
            String file = line.trim();
            if (file.isEmpty()) {
                continue;
            }
            String id = file.replace(".json", "").replace("__", "/");
            Map<String, Object> cfg = parse(resourceText("catalog/models/" + file), "catalog/models/" + file);
            cfg.keySet().removeIf(k -> k.startsWith("_"));
            models.put(id, Collections.unmodifiableMap(textConfig(cfg).config()));
        }
        Map<String, Map<String, Object>> table = new LinkedHashMap<>();
        parse(resourceText("catalog/gpu_poor/all_configs.json"), "all_configs.json").forEach((id, v) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> cfg = v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            table.put(id, cfg);
        });
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Map<String, String> row : Csv.read(resource("catalog/gpu_poor/aliases.csv"), "aliases.csv")) {
            aliases.put(row.get("gpu_poor_key"), row.get("hardware_id"));
        }
        Map<String, GpuPoorSpec> specs = GpuPoorTables.read(
                resourceText("catalog/gpu_poor/gpu_config.json"), resourceText("catalog/gpu_poor/cpu_config.json"));
        List<Map<String, String>> rows = Csv.read(resource("catalog/hardware.csv"), "hardware.csv");
        Map<String, Hardware> hw = HardwareCsv.read(rows, specs, aliases);
        return new Catalog(Collections.unmodifiableMap(models), Collections.unmodifiableMap(table),
                Collections.unmodifiableMap(hw), Collections.unmodifiableMap(aliases), Collections.unmodifiableMap(specs),
                HardwareCsv.vendors(rows));
    }

    /**
     * This catalog with the devices of a CSV file in {@code hardware.csv}'s columns added (a row
     * with a catalog id replaces that device).
     *
     * @throws InvalidScenarioException naming the file, row and column of a bad cell
     */
    public Catalog withHardware(Path file) {
        List<Map<String, String>> rows = HardwareCsv.readUserFile(file);
        Map<String, Hardware> hw = new LinkedHashMap<>(hardware);
        hw.putAll(HardwareCsv.read(rows, Map.of(), Map.of()));
        Map<String, String> v = new LinkedHashMap<>(vendors);
        v.putAll(HardwareCsv.vendors(rows));
        return new Catalog(models, gpuPoorModels, Collections.unmodifiableMap(hw), gpuPoorAliases, gpuPoorSpecs,
                Collections.unmodifiableMap(v));
    }

    // ------------------------------------------------------------------ models

    /**
     * Resolves a model: a catalog id ({@code meta-llama/Llama-3.1-8B}), an id from the original's
     * table (2,980 ids), a path to a {@code config.json}, or a size such as {@code 7B}.
     *
     * @throws InvalidScenarioException naming the closest ids when nothing matches
     */
    public ModelSpec model(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidScenarioException("a model is needed: a catalog id, a config.json path or a size like 7B");
        }
        String name = ref.trim();
        if (name.toLowerCase(Locale.ROOT).endsWith(".json") || Files.isRegularFile(Path.of(name))) {
            return readConfig(Path.of(name));
        }
        String id = findKey(models.keySet(), name);
        if (id != null) {
            Map<String, Object> legacy = gpuPoorModels.get(id);
            return new ModelSpec(id, ModelSpec.Source.CATALOG, models.get(id), legacy, 0);
        }
        id = findKey(gpuPoorModels.keySet(), name);
        if (id != null) {
            return ModelSpec.of(id, ModelSpec.Source.GPU_POOR_TABLE, gpuPoorModels.get(id));
        }
        var size = SIZE.matcher(name);
        if (size.matches()) {
            return ModelSpec.ofSize(Double.parseDouble(size.group(1)));
        }
        Set<String> all = new LinkedHashSet<>(models.keySet());
        all.addAll(gpuPoorModels.keySet());
        throw new InvalidScenarioException("unknown model '" + name + "' (not in the catalog, not the original's table, "
                + "not a config.json file, not a size like 7B)" + Names.didYouMean(name, all));
    }

    /** Ids of the verified modern configs in {@code catalog/models/}. */
    public List<String> modelIds() {
        return List.copyOf(models.keySet());
    }

    /** Ids of the original calculator's model table. */
    public List<String> gpuPoorModelIds() {
        return List.copyOf(gpuPoorModels.keySet());
    }

    /**
     * Reads a Hugging Face {@code config.json}. It must be a JSON object with a hidden size
     * ({@code hidden_size}, {@code d_model} or {@code n_embd}) and a layer count
     * ({@code num_hidden_layers}, {@code num_layers} or {@code n_layer}).
     *
     * @throws InvalidScenarioException when the file is missing, malformed or lacks those keys
     */
    public static ModelSpec readConfig(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot read config file '" + path + "': " + e.getMessage());
        }
        return parseConfig(path.toString(), text);
    }

    /**
     * Parses config.json text (see {@link #readConfig(Path)}); {@code id} names it in messages. A
     * multimodal config's text model ({@link #TEXT_KEYS}) is what the calculator reads.
     */
    public static ModelSpec parseConfig(String id, String text) {
        TextConfig t = textConfig(parse(text, id));
        Map<String, Object> cfg = t.config();
        List<String> missing = new ArrayList<>();
        requireOne(cfg, missing, "hidden_size", "d_model", "n_embd");
        requireOne(cfg, missing, "num_hidden_layers", "num_layers", "n_layer");
        if (STATE_SPACE.stream().noneMatch(cfg::containsKey)) {
            requireOne(cfg, missing, "num_attention_heads", "num_heads", "n_head");
        }
        if (!missing.isEmpty()) {
            if (t.nestedUnder() != null) {
                throw new InvalidScenarioException("config '" + id + "' nests its text model under " + t.nestedUnder()
                        + ", and " + t.nestedUnder() + " lacks the keys the calculator needs: " + String.join("; ", missing)
                        + " (transformers fills in its defaults for keys a file leaves out; write the values into "
                        + t.nestedUnder() + ")");
            }
            String hint = cfg.containsKey("vision_config") || cfg.containsKey("audio_config")
                    ? " (it has a vision or audio config but no " + String.join(", ", TEXT_KEYS) + " with the text model)" : "";
            throw new InvalidScenarioException("config '" + id + "' lacks the keys the calculator needs: "
                    + String.join("; ", missing) + hint);
        }
        return ModelSpec.of(id, ModelSpec.Source.CONFIG_FILE, cfg);
    }

    /** The keys under which multimodal configs nest the text model (Gemma 3, Mistral 3, Llama 4, LLaVA; InternVL; DeepSeek-VL2). */
    public static final List<String> TEXT_KEYS = List.of("text_config", "llm_config", "language_config");
    /** Keys a nested text config takes from the outer config when it lacks them. */
    private static final List<String> INHERITED = List.of("tie_word_embeddings", "torch_dtype", "quantization_config");
    /** Keys of state-space models, which have no attention heads. */
    private static final List<String> STATE_SPACE = List.of("state_size", "ssm_state_size", "mamba_d_state");

    /**
     * A config's text model and where it was found.
     *
     * @param config      the text model's keys, with the outer config's {@code vision_config}
     * @param nestedUnder the key it was nested under, or null for a text-only config
     */
    record TextConfig(Map<String, Object> config, String nestedUnder) {
    }

    /**
     * The text model of a config: the object under {@code text_config} (or {@code llm_config},
     * {@code language_config}) with the outer {@code tie_word_embeddings}, {@code torch_dtype} and
     * {@code quantization_config} where it lacks them, and the outer {@code vision_config}; a
     * text-only config as it is.
     */
    static TextConfig textConfig(Map<String, Object> raw) {
        for (String key : TEXT_KEYS) {
            if (raw.get(key) instanceof Map<?, ?> inner) {
                Map<String, Object> text = new LinkedHashMap<>();
                inner.forEach((k, v) -> text.put(String.valueOf(k), v));
                for (String k : INHERITED) {
                    if (!text.containsKey(k) && raw.containsKey(k)) {
                        text.put(k, raw.get(k));
                    }
                }
                if (raw.get("vision_config") != null) {
                    text.put("vision_config", raw.get("vision_config"));
                }
                return new TextConfig(text, key);
            }
        }
        return new TextConfig(raw, null);
    }

    private static void requireOne(Map<String, Object> cfg, List<String> missing, String... keys) {
        for (String k : keys) {
            if (cfg.get(k) instanceof Number n && n.doubleValue() > 0) {
                return;
            }
        }
        missing.add("one of " + String.join(", ", keys) + " (a positive number)");
    }

    private static Map<String, Object> parse(String text, String what) {
        try {
            return JSON.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new InvalidScenarioException("'" + what + "' is not a JSON object: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    // ------------------------------------------------------------------ hardware

    /**
     * Resolves a device by catalog id ({@code rtx-4090}, {@code a100-sxm4-80gb}, {@code m3-max-40c-64gb},
     * {@code ryzen-9-7950x}), by the original's key ({@code A100-80GB}, {@code 13900K}), by its
     * name ({@code RTX 4090}) or by the words people use ({@code amd mi300x}: {@link DeviceNames}).
     *
     * @throws InvalidScenarioException naming the closest ids when nothing matches
     */
    public Hardware hardware(String ref) {
        return hardware(ref, null);
    }

    /**
     * Resolves a device as {@link #hardware(String)} does; when several match, those of kind
     * {@code preferred} are suggested first ({@code 3090} with {@code --gpu}: the RTX 3090s, not
     * the Threadripper 3990X).
     *
     * @throws InvalidScenarioException naming the closest ids when nothing matches
     */
    public Hardware hardware(String ref, Hardware.Kind preferred) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidScenarioException("a device id is needed, e.g. rtx-4090, a100-sxm4-80gb, ryzen-9-7950x");
        }
        String name = ref.trim();
        String key = findKey(gpuPoorAliases.keySet(), name);
        String id = findKey(hardware.keySet(), name);
        if (id == null && key != null) {
            id = gpuPoorAliases.get(key);
        }
        if (id == null) {
            String dashed = name.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
            id = findKey(hardware.keySet(), dashed);
            if (id == null) {
                id = hardware.values().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Hardware::id)
                        .findFirst().orElse(null);
            }
        }
        if (id == null) {
            DeviceNames.Match match = DeviceNames.match(name, hardware.values(), vendors, preferred);
            if (match.device() != null) {
                return match.device();
            }
            String hint = DeviceSpec.isSpec(name) ? " (a device given by its figures goes in " + Input.DEVICE_SPEC.ref() + ")" : "";
            if (!match.suggestions().isEmpty()) {
                throw new InvalidScenarioException("unknown device '" + name + "'; did you mean: "
                        + String.join(", ", match.suggestions()) + "?" + hint);
            }
            Set<String> all = new LinkedHashSet<>(hardware.keySet());
            all.addAll(gpuPoorAliases.keySet());
            throw new InvalidScenarioException("unknown device '" + name + "'" + Names.didYouMean(name, all) + hint);
        }
        Hardware h = hardware.get(id);
        if (key != null && (h.gpuPoor() == null || !h.gpuPoor().key().equals(key))) {
            // the user typed the original's key: use that row's numbers for the gpu-poor method
            h = HardwareCsv.withGpuPoor(h, gpuPoorSpecs.get(key));
        }
        return h;
    }

    /** The vendor of a device ({@code hardware.csv}'s column), or an empty string. */
    public String vendor(String id) {
        return vendors.getOrDefault(id, "");
    }

    /** All devices, in catalog order. */
    public List<Hardware> allHardware() {
        return List.copyOf(hardware.values());
    }

    /** Devices of one kind, in catalog order. */
    public List<Hardware> hardware(Hardware.Kind kind) {
        return hardware.values().stream().filter(h -> h.kind() == kind).toList();
    }

    /** The devices the original calculator knows, under their catalog ids. */
    public List<Hardware> gpuPoorHardware() {
        return gpuPoorAliases.keySet().stream().map(this::hardware).toList();
    }

    private static String findKey(Set<String> keys, String name) {
        if (keys.contains(name)) {
            return name;
        }
        for (String k : keys) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ resources

    static InputStream resource(String path) {
        InputStream in = Catalog.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("catalog resource missing from the classpath: " + path);
        }
        return in;
    }

    static String resourceText(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
