package gpupoor.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Names;
import gpupoor.source.ConfigJson;
import gpupoor.source.HubSettings;
import gpupoor.source.InvalidModelSourceException;
import gpupoor.source.ModelSources;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*b?\\s*");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static volatile Catalog instance;

    private final Map<String, Map<String, Object>> models;
    private final Map<String, Map<String, Object>> gpuPoorModels;
    private final Map<String, Hardware> hardware;
    private final Map<String, String> gpuPoorAliases;
    private final Map<String, GpuPoorSpec> gpuPoorSpecs;
    private final Index modelIndex;
    private final Index gpuPoorModelIndex;
    private final Index hardwareIndex;
    private final Index aliasIndex;
    private final Map<Double, ModelSpec> sizes = new java.util.concurrent.ConcurrentHashMap<>();
    /** The models looked up so far, one object per id (a file of rows naming one model makes it once). */
    private final Map<String, ModelSpec> specs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> vendors;

    private Catalog(Map<String, Map<String, Object>> models, Map<String, Map<String, Object>> gpuPoorModels,
                    Map<String, Hardware> hardware, Map<String, String> gpuPoorAliases,
                    Map<String, GpuPoorSpec> gpuPoorSpecs, Map<String, String> vendors) {
        this.models = models;
        this.gpuPoorModels = gpuPoorModels;
        this.hardware = hardware;
        this.gpuPoorAliases = gpuPoorAliases;
        this.gpuPoorSpecs = gpuPoorSpecs;
        this.modelIndex = lowerIndex(models.keySet());
        this.gpuPoorModelIndex = lowerIndex(gpuPoorModels.keySet());
        this.hardwareIndex = lowerIndex(hardware.keySet());
        this.aliasIndex = lowerIndex(gpuPoorAliases.keySet());
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
            Map<String, Object> cfg = new LinkedHashMap<>(textConfig("catalog/models/" + file,
                    resourceText("catalog/models/" + file)));
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

    /** The Hub settings set for this process ({@link #useHub}), or null for the environment's. */
    private static volatile HubSettings hub;

    /**
     * How models that are not in the catalog are fetched from the Hugging Face Hub: the settings
     * given to {@link #useHub}, else those of the environment ({@code HF_ENDPOINT}, {@code HF_TOKEN},
     * {@code HF_HUB_OFFLINE}, {@code HF_HOME}, {@code GPUPOOR_CACHE}; see {@link HubSettings}).
     */
    public static HubSettings hubSettings() {
        HubSettings h = hub;
        return h != null ? h : HubSettings.fromEnvironment();
    }

    /** Uses {@code settings} for every later Hub look-up of this process (null: the environment's again). */
    public static void useHub(HubSettings settings) {
        hub = settings;
    }

    /**
     * Resolves a model: a catalog id ({@code meta-llama/Llama-3.1-8B}), an id from the original's
     * table (2,980 ids), a size such as {@code 7B}, a path to a {@code config.json}, a {@code .gguf}
     * file (every part of a split model), a model directory, an {@code https://} URL of a GGUF file,
     * {@code hf://org/name/file.gguf}, or any other Hugging Face Hub id {@code org/name[@revision]}
     * ({@link #hubSettings}: fetched once, then read from the cache). Only headers are read from
     * weight files: a model read with them knows each tensor's type and bytes.
     *
     * @throws InvalidScenarioException naming the closest ids when nothing matches, or saying why a
     *                                  file or the Hub could not be read
     */
    public ModelSpec model(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidScenarioException("a model is needed: a catalog id, a Hub id org/name, a .gguf or config.json "
                    + "file, or a size like 7B");
        }
        String name = ref.trim();
        if (name.length() > MAX_PATH_LENGTH) {
            throw tooLong(Input.MODEL, name, MAX_PATH_LENGTH, "a model id or a file path");
        }
        if (name.length() > MAX_ID_LENGTH && !isLocal(name)) {
            throw tooLong(Input.MODEL, name, MAX_ID_LENGTH, "a model id (a file path may be longer)");
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
        boolean local = isLocal(name);
        if (name.toLowerCase(Locale.ROOT).endsWith(".json") && !local) {
            throw new InvalidScenarioException(path(name) == null ? Input.MODEL.ref(name) + ": not a usable file path"
                    : "config file '" + name + "' not found");
        }
        if (local) {
            checkLocalFile(path(name));
        }
        boolean hubId = HUB_ID.matcher(name).matches();
        if (local || hubId || name.contains("://")) {
            try {
                return SourceModels.of(ModelSources.load(name, hubSettings()));
            } catch (InvalidModelSourceException e) {
                if (hubId && !local) {
                    throw new InvalidScenarioException("unknown model '" + name + "': not in the catalog nor the original's "
                            + "table, and the Hugging Face Hub did not give it (" + e.getMessage() + ")"
                            + Names.didYouMean(name.replaceAll("@.*", ""), allModelIds()), e);
                }
                throw new InvalidScenarioException(e.getMessage(), e);
            }
        }
        throw new InvalidScenarioException("unknown model '" + name + "' (not in the catalog, not the original's table, "
                + "not a Hub id org/name, not a .gguf or config.json file, not a size like 7B)"
                + Names.didYouMean(name, allModelIds()));
    }

    /** A Hub repository id, optionally at a revision: {@code org/name[@rev]}. */
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*(@\\S+)?");

    private static boolean isLocal(String name) {
        Path p = path(name);
        return p != null && Files.exists(p);
    }

    private Set<String> allModelIds() {
        Set<String> all = new LinkedHashSet<>(models.keySet());
        all.addAll(gpuPoorModels.keySet());
        return all;
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
     * Reads a Hugging Face {@code config.json} (a multimodal model's text model from its
     * {@code text_config}, {@code llm_config} or {@code language_config}). It must be a JSON object
     * with a hidden size ({@code hidden_size}, {@code d_model} or {@code n_embd}), a layer count
     * ({@code num_hidden_layers}, {@code num_layers} or {@code n_layer}) and, unless it is a
     * state-space model, a head count.
     *
     * @throws InvalidScenarioException when the file is missing, malformed or lacks those keys
     */
    public static ModelSpec readConfig(Path path) {
        checkLocalFile(path);
        try {
            ModelSpec m = SourceModels.of(ModelSources.load(path.toString(), hubSettings()));
            return ModelSpec.of(m.id(), ModelSpec.Source.CONFIG_FILE, m.config());
        } catch (InvalidModelSourceException e) {
            throw new InvalidScenarioException(e.getMessage(), e);
        }
    }

    /**
     * A local model file or directory the calculator may read: it exists, is a directory or a regular
     * file (not a pipe or device), and a {@code .json} is at most {@link #MAX_CONFIG_BYTES}.
     */
    private static void checkLocalFile(Path path) {
        if (path == null) {
            throw new InvalidScenarioException("not a usable file path");
        }
        if (!Files.exists(path)) {
            throw new InvalidScenarioException("config file '" + path + "' not found");
        }
        boolean json = path.toString().toLowerCase(Locale.ROOT).endsWith(".json");
        if (Files.isDirectory(path) && !json) {
            return;
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidScenarioException("'" + path + "' is not a regular file (a directory, pipe or device); "
                    + "give the path of a config.json or .gguf file, or of a model directory");
        }
        try {
            if (json && Files.size(path) > MAX_CONFIG_BYTES) {
                throw new InvalidScenarioException("config file '" + path + "' is " + Files.size(path)
                        + " bytes; a config.json is at most " + MAX_CONFIG_BYTES + " bytes");
            }
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot read config file '" + path + "': " + ioReason(e));
        }
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

    /** The path a name stands for ({@code ~/} is the home directory), or null when it cannot be one (a NUL character, say). */
    private static Path path(String name) {
        try {
            return Path.of(name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name);
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
        return ModelSpec.of(id, ModelSpec.Source.CONFIG_FILE, textConfig(id, text));
    }

    /** The text model's config keys of config.json text (with {@code vision_config}), through {@link ModelSources#fromConfigText}. */
    private static Map<String, Object> textConfig(String id, String text) {
        try {
            return SourceModels.of(ModelSources.fromConfigText(id, text)).config();
        } catch (InvalidModelSourceException e) {
            throw new InvalidScenarioException(e.getMessage(), e);
        }
    }

    private static Map<String, Object> parse(String text, String what) {
        try {
            return JSON.convertValue(ConfigJson.object(text, what), MAP);
        } catch (InvalidModelSourceException e) {
            throw new InvalidScenarioException(e.getMessage(), e);
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
            // words are matched only in plain text: a control character is a typo, not a separator
            DeviceNames.Match match = name.chars().anyMatch(Character::isISOControl) ? DeviceNames.Match.NONE
                    : DeviceNames.match(name, hardware.values(), vendors, preferred);
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

    /** The key {@code name} stands for: itself when it is one, else the first key equal to it ignoring case; null if none. */
    private static String find(Index index, String name) {
        String exact = index.exact().get(name);
        return exact != null ? exact : index.lower().get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Keys by themselves and by their lower-case form (the first key of each form, in the set's
     * order), so a look-up is a hash or two, not a scan of thousands of ids.
     */
    private record Index(Map<String, String> exact, Map<String, String> lower) {
    }

    private static Index lowerIndex(Set<String> keys) {
        Map<String, String> exact = new java.util.HashMap<>();
        Map<String, String> lower = new java.util.HashMap<>();
        for (String k : keys) {
            lower.putIfAbsent(k.toLowerCase(Locale.ROOT), k);
            exact.put(k, k);
        }
        return new Index(exact, lower);
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
