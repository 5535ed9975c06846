package gpupoor.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
    private final Map<String, String> modelIndex;
    private final Map<String, String> gpuPoorModelIndex;
    private final Map<String, String> hardwareIndex;
    private final Map<String, String> aliasIndex;
    private final Map<Double, ModelSpec> sizes = new java.util.concurrent.ConcurrentHashMap<>();
    /** The models looked up so far, one object per id (a file of rows naming one model makes it once). */
    private final Map<String, ModelSpec> specs = new java.util.concurrent.ConcurrentHashMap<>();

    private Catalog(Map<String, Map<String, Object>> models, Map<String, Map<String, Object>> gpuPoorModels,
                    Map<String, Hardware> hardware, Map<String, String> gpuPoorAliases,
                    Map<String, GpuPoorSpec> gpuPoorSpecs) {
        this.models = models;
        this.gpuPoorModels = gpuPoorModels;
        this.hardware = hardware;
        this.gpuPoorAliases = gpuPoorAliases;
        this.gpuPoorSpecs = gpuPoorSpecs;
        this.modelIndex = lowerIndex(models.keySet());
        this.gpuPoorModelIndex = lowerIndex(gpuPoorModels.keySet());
        this.hardwareIndex = lowerIndex(hardware.keySet());
        this.aliasIndex = lowerIndex(gpuPoorAliases.keySet());
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
            models.put(id, Collections.unmodifiableMap(cfg));
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
        Map<String, Hardware> hw = HardwareCsv.read(resource("catalog/hardware.csv"), specs, aliases);
        return new Catalog(Collections.unmodifiableMap(models), Collections.unmodifiableMap(table),
                Collections.unmodifiableMap(hw), Collections.unmodifiableMap(aliases), Collections.unmodifiableMap(specs));
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
        if (name.length() > MAX_PATH_LENGTH) {
            throw tooLong(Input.MODEL, name, MAX_PATH_LENGTH, "a model id or a config.json path");
        }
        Path path = path(name);
        if (name.toLowerCase(Locale.ROOT).endsWith(".json") || path != null && Files.exists(path)) {
            if (path == null) {
                throw new InvalidScenarioException(Input.MODEL.ref(name) + ": not a usable file path");
            }
            return readConfig(path);
        }
        if (name.length() > MAX_ID_LENGTH) {
            throw tooLong(Input.MODEL, name, MAX_ID_LENGTH, "a model id (a config.json path may be longer)");
        }
        String id = find(modelIndex, name);
        if (id != null) {
            return specs.computeIfAbsent(id, k -> new ModelSpec(k, ModelSpec.Source.CATALOG, models.get(k),
                    gpuPoorModels.get(k), 0));
        }
        id = find(gpuPoorModelIndex, name);
        if (id != null) {
            return specs.computeIfAbsent(id, k -> ModelSpec.of(k, ModelSpec.Source.GPU_POOR_TABLE, gpuPoorModels.get(k)));
        }
        var size = SIZE.matcher(name);
        if (size.matches()) {
            return size(Double.parseDouble(size.group(1)));
        }
        Set<String> all = new LinkedHashSet<>(models.keySet());
        all.addAll(gpuPoorModels.keySet());
        throw new InvalidScenarioException("unknown model '" + name + "' (not in the catalog, not the original's table, "
                + "not a config.json file, not a size like 7B)" + Names.didYouMean(name, all));
    }

    /**
     * A model known only by its size in billions ({@link ModelSpec#ofSize}), one object per size for
     * the first 4,096 sizes asked for (a file of rows naming a few sizes makes each once).
     *
     * @throws InvalidScenarioException when the size is out of range
     */
    public ModelSpec size(double billions) {
        ModelSpec known = sizes.get(billions);
        if (known != null) {
            return known;
        }
        ModelSpec spec = ModelSpec.ofSize(billions);
        if (sizes.size() < 4096) {
            sizes.putIfAbsent(billions, spec);
        }
        return spec;
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
        if (!Files.exists(path)) {
            throw new InvalidScenarioException("config file '" + path + "' not found");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidScenarioException("'" + path + "' is not a regular file (a directory, pipe or device); "
                    + "give the path of a config.json file");
        }
        String text;
        try {
            if (Files.size(path) > MAX_CONFIG_BYTES) {
                throw new InvalidScenarioException("config file '" + path + "' is " + Files.size(path)
                        + " bytes; a config.json is at most " + MAX_CONFIG_BYTES + " bytes");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot read config file '" + path + "': " + ioReason(e));
        }
        return parseConfig(path.toString(), text);
    }

    /** The longest model or device id looked up (longer text is refused before any search): 256 characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** The longest config.json path: 4,096 characters. */
    public static final int MAX_PATH_LENGTH = 4096;
    /** The largest config.json read: 16 MiB. */
    public static final long MAX_CONFIG_BYTES = 16L << 20;

    private static InvalidScenarioException tooLong(Input input, String name, int max, String what) {
        return new InvalidScenarioException(input.ref(name.substring(0, 40) + "…") + ": " + what + " is at most " + max
                + " characters; this one has " + name.length());
    }

    /** The path a name stands for, or null when it cannot be one (a NUL character, say). */
    private static Path path(String name) {
        try {
            return Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** An I/O failure in words: the JDK's message, or what kind of failure it was. */
    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException || e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? "read failed" : e.getMessage();
    }

    /** Parses config.json text (see {@link #readConfig(Path)}); {@code id} names it in messages. */
    public static ModelSpec parseConfig(String id, String text) {
        Map<String, Object> cfg = parse(text, id);
        ModelSpec spec = ModelSpec.of(id, ModelSpec.Source.CONFIG_FILE, cfg);
        List<String> missing = new ArrayList<>();
        requireOne(cfg, missing, "hidden_size", "d_model", "n_embd");
        requireOne(cfg, missing, "num_hidden_layers", "num_layers", "n_layer");
        requireOne(cfg, missing, "num_attention_heads", "num_heads", "n_head");
        if (!missing.isEmpty()) {
            throw new InvalidScenarioException("config '" + id + "' lacks the keys the calculator needs: "
                    + String.join("; ", missing));
        }
        return spec;
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
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new InvalidScenarioException("'" + what + "' is not a JSON object: it holds "
                        + (root == null || root.isMissingNode() ? "nothing" : root.isArray() ? "a list" : root.isNull() ? "null"
                        : root.isTextual() ? "a string" : root.isNumber() ? "a number" : "a " + root.getNodeType()
                        .name().toLowerCase(Locale.ROOT)) + "; a config.json is one object {\"hidden_size\": …}");
            }
            return JSON.convertValue(root, MAP);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            throw new InvalidScenarioException("'" + what + "' is not a config.json: " + (m.contains("nesting depth")
                    ? "it nests objects or lists more than 1,000 levels deep" : "it holds a number, name or text longer "
                    + "than any config has"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidScenarioException("'" + what + "' is not a JSON object: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    // ------------------------------------------------------------------ hardware

    /**
     * Resolves a device by catalog id ({@code rtx-4090}, {@code a100-sxm4-80gb}, {@code m3-max-40c-64gb},
     * {@code ryzen-9-7950x}), by the original's key ({@code A100-80GB}, {@code 13900K}) or by its
     * name with spaces ({@code RTX 4090}).
     *
     * @throws InvalidScenarioException naming the closest ids when nothing matches
     */
    public Hardware hardware(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidScenarioException("a device id is needed, e.g. rtx-4090, a100-sxm4-80gb, ryzen-9-7950x");
        }
        String name = ref.trim();
        if (name.length() > MAX_ID_LENGTH) {
            throw tooLong(Input.DEVICE, name, MAX_ID_LENGTH, "a device id");
        }
        String key = find(aliasIndex, name);
        String id = find(hardwareIndex, name);
        if (id == null && key != null) {
            id = gpuPoorAliases.get(key);
        }
        if (id == null) {
            String dashed = name.toLowerCase(Locale.ROOT).replaceAll("[ \t_]+", "-");
            id = find(hardwareIndex, dashed);
            if (id == null) {
                id = hardware.values().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Hardware::id)
                        .findFirst().orElse(null);
            }
        }
        if (id == null) {
            Set<String> all = new LinkedHashSet<>(hardware.keySet());
            all.addAll(gpuPoorAliases.keySet());
            throw new InvalidScenarioException("unknown device '" + name + "'" + Names.didYouMean(name, all));
        }
        Hardware h = hardware.get(id);
        if (key != null && (h.gpuPoor() == null || !h.gpuPoor().key().equals(key))) {
            // the user typed the original's key: use that row's numbers for the gpu-poor method
            h = HardwareCsv.withGpuPoor(h, gpuPoorSpecs.get(key));
        }
        return h;
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

    /** The key {@code name} stands for: itself when it is one, else the first key equal to it ignoring case; null if none. */
    private static String find(Map<String, String> index, String name) {
        String exact = index.get(EXACT + name);
        return exact != null ? exact : index.get(name.toLowerCase(Locale.ROOT));
    }

    /** Marks the exact entries of a {@link #lowerIndex} (a character no id holds). */
    private static final String EXACT = "\u0000";

    /**
     * Keys by themselves and by their lower-case form (the first key of each form, in the set's
     * order), so a look-up is a hash or two, not a scan of thousands of ids.
     */
    private static Map<String, String> lowerIndex(Set<String> keys) {
        Map<String, String> index = new java.util.HashMap<>();
        for (String k : keys) {
            index.putIfAbsent(k.toLowerCase(Locale.ROOT), k);
            index.put(EXACT + k, k);
        }
        return index;
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
