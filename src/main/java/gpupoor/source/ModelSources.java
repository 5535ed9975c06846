package gpupoor.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a model reference into a {@link ModelSource}: a Hub id {@code org/name} (optionally
 * {@code @revision}), a local {@code config.json}, a local {@code .gguf} file (every part of a split
 * {@code -00001-of-0000N} model), an {@code https://} URL of a GGUF file,
 * {@code hf://org/name/file.gguf}, or a local directory holding config.json and safetensors files.
 * Only headers are read from weight files, never the weights. A reference that names an existing
 * local file or directory is read from disk; otherwise {@code org/name} is a Hub id.
 *
 * <pre>{@code
 * ModelSource m = ModelSources.load("Qwen/Qwen3-8B");
 * long weightBytes = m.totalBytes();          // exact, from the safetensors headers
 * int layers = m.config().get("num_hidden_layers").asInt();
 * }</pre>
 */
public final class ModelSources {
    /** {@code name-00001-of-00003.gguf}. */
    private static final Pattern SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf", Pattern.CASE_INSENSITIVE);
    private static final int LOCAL_CHUNK = 1 << 20;

    private ModelSources() {
    }

    /**
     * Reads what {@code reference} describes, with the Hub settings of the environment
     * ({@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE}, {@code HF_HOME} …; see {@link HubSettings}).
     *
     * @throws InvalidModelSourceException with a message for the user when it cannot be read
     */
    public static ModelSource load(String reference) {
        return load(reference, HubSettings.fromEnvironment());
    }

    /**
     * Reads what {@code reference} describes, reaching the Hub with {@code settings}.
     *
     * @throws InvalidModelSourceException with a message for the user when it cannot be read
     */
    public static ModelSource load(String reference, HubSettings settings) {
        ModelReference ref = ModelReference.parse(reference, settings.endpoint());
        if (ref instanceof ModelReference.Hub h) {
            return new Hub(settings).model(reference, h.repo(), h.revision());
        }
        if (ref instanceof ModelReference.HubFile f) {
            return new Hub(settings).gguf(reference, f.repo(), f.revision(), f.file());
        }
        if (ref instanceof ModelReference.Url u) {
            return new Hub(settings).url(reference, u.uri());
        }
        if (ref instanceof ModelReference.LocalGguf g) {
            return localGguf(reference, g.path());
        }
        if (ref instanceof ModelReference.LocalConfig c) {
            List<Origin.SourceFile> files = new ArrayList<>();
            String text = readText(c.path(), files);
            Origin origin = new Origin(Origin.Kind.LOCAL, null, null, null, files, null, false);
            return fromConfig(reference, text, c.path().toString(), null, List.of(), null, origin,
                    List.of("a config.json alone has no weight headers: no tensor list (give its directory to read them)"));
        }
        return localDir(reference, ((ModelReference.LocalDir) ref).path());
    }

    private static ModelSource localGguf(String reference, Path path) {
        List<GgufFile> parts = new ArrayList<>();
        List<Origin.SourceFile> files = new ArrayList<>();
        for (String p : splitParts(path.toString())) {
            Path part = Path.of(p);
            if (!Files.isRegularFile(part)) {
                throw new InvalidModelSourceException(path + " is part of a split model, but its part " + part.getFileName()
                        + " is missing next to it (every -0000k-of-0000N part is needed)");
            }
            try (FileBytes src = FileBytes.open(part)) {
                parts.add(GgufReader.read(src, part.getFileName().toString(), LOCAL_CHUNK));
                files.add(new Origin.SourceFile(part.getFileName().toString(), part.toString(), null, src.size(), "header", false));
            } catch (IOException e) {
                throw new InvalidModelSourceException("cannot read " + part + ": " + e.getMessage(), e);
            }
        }
        return fromGguf(reference, parts, new Origin(Origin.Kind.LOCAL, null, null, null, files, null, false), List.of());
    }

    private static ModelSource localDir(String reference, Path dir) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            List<String> gguf = list(dir, ".gguf").stream().filter(n -> !n.toLowerCase(Locale.ROOT).startsWith("mmproj"))
                    .filter(n -> !SPLIT.matcher(n).matches() || SPLIT.matcher(n).replaceAll("$2").equals("00001")).toList();
            if (gguf.size() == 1) {
                return localGguf(reference, dir.resolve(gguf.get(0)));
            }
            throw new InvalidModelSourceException(dir + " has no config.json" + (gguf.isEmpty() ? " and no .gguf file"
                    : " and several GGUF models (" + String.join(", ", gguf) + "): name one"));
        }
        List<Origin.SourceFile> files = new ArrayList<>();
        String text = readText(config, files);
        Path gen = dir.resolve("generation_config.json");
        String generation = Files.isRegularFile(gen) ? readText(gen, files) : null;
        Path indexFile = dir.resolve("model.safetensors.index.json");
        ObjectNode index = null;
        List<String> shards;
        if (Files.isRegularFile(indexFile)) {
            index = ConfigJson.object(readText(indexFile, files), indexFile.toString());
            shards = shards(index, indexFile.toString());
        } else {
            shards = list(dir, ".safetensors");
        }
        List<SafetensorsFile> weights = new ArrayList<>();
        for (String shard : shards) {
            Path p = dir.resolve(shard);
            try (FileBytes src = FileBytes.open(p)) {
                weights.add(SafetensorsReader.read(src, shard, LOCAL_CHUNK));
                files.add(new Origin.SourceFile(shard, p.toString(), null, src.size(), "header", false));
            } catch (IOException e) {
                throw new InvalidModelSourceException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        List<String> notes = weights.isEmpty() ? List.of(dir + " has no safetensors files: no tensor list") : List.of();
        return fromConfig(reference, text, config.toString(), generation, weights, index,
                new Origin(Origin.Kind.LOCAL, null, null, null, files, null, false), notes);
    }

    /**
     * The description of config.json text that is not in a file of its own (the calculator's bundled
     * catalog): the text model's config, the vision tower's and the quantization, no tensor list.
     *
     * @param reference names the config in messages
     * @throws InvalidModelSourceException when it is not a JSON object or lacks the keys the calculator needs
     */
    public static ModelSource fromConfigText(String reference, String text) {
        return fromConfig(reference, text, reference, null, List.of(), null,
                new Origin(Origin.Kind.LOCAL, null, null, null, List.of(), null, false), List.of());
    }

    /** The description of a config.json with its generation config and weight headers. */
    static ModelSource fromConfig(String reference, String configText, String where, String generationText,
                                  List<SafetensorsFile> weights, ObjectNode index, Origin origin, List<String> notes) {
        ConfigJson.Parts p = ConfigJson.parse(configText, where);
        ObjectNode generation = generationText == null ? null
                : ConfigJson.object(generationText, "generation_config.json next to " + where);
        List<TensorInfo> tensors = new ArrayList<>();
        weights.forEach(w -> tensors.addAll(w.tensors()));
        List<String> all = new ArrayList<>(notes);
        all.addAll(p.notes());
        if (index != null) {
            checkIndex(index, tensors, all);
        }
        return new ModelSource(reference, weights.isEmpty() ? ModelSource.Format.CONFIG : ModelSource.Format.SAFETENSORS,
                p.text(), p.raw(), p.vision(), generation, p.quantization(), tensors, List.of(), origin, all);
    }

    /** The description of a GGUF model from the headers of its parts. */
    static ModelSource fromGguf(String reference, List<GgufFile> parts, Origin origin, List<String> notes) {
        GgufFile first = parts.get(0);
        checkSplit(parts);
        List<TensorInfo> tensors = new ArrayList<>();
        parts.forEach(p -> tensors.addAll(p.tensors()));
        List<String> all = new ArrayList<>(notes);
        ObjectNode config = GgufConfig.of(first, tensors, all);
        String main = tensors.stream().collect(java.util.stream.Collectors.groupingBy(t -> t.type().id(),
                        java.util.stream.Collectors.summingLong(TensorInfo::bytes)))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        Quantization q = new Quantization(Quantization.Method.GGUF, "gguf", null, null, main, List.of(), null);
        return new ModelSource(reference, ModelSource.Format.GGUF, config, null, null, null, q, tensors, parts, origin, all);
    }

    /** The split keys of every part agree with the parts given: count, numbering, total tensors. */
    private static void checkSplit(List<GgufFile> parts) {
        GgufKv count = parts.get(0).get("split.count");
        if (count == null) {
            if (parts.size() > 1) {
                throw new InvalidModelSourceException(parts.get(0).location() + " is named like a part of a split model"
                        + " but has no split.count");
            }
            return;
        }
        if (count.asLong() == null || count.asLong() != parts.size()) {
            throw new InvalidModelSourceException(parts.get(0).location() + " says split.count = " + count.value()
                    + ", but " + parts.size() + " part(s) were found by name");
        }
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            GgufKv no = parts.get(i).get("split.no");
            if (no == null || no.asLong() == null || no.asLong() != i) {
                throw new InvalidModelSourceException(parts.get(i).location() + " should be split part " + i
                        + " (split.no), but says " + (no == null ? "nothing" : no.value()));
            }
            total += parts.get(i).tensors().size();
        }
        GgufKv tensors = parts.get(0).get("split.tensors.count");
        if (tensors != null && tensors.asLong() != null && tensors.asLong() != total) {
            throw new InvalidModelSourceException(parts.get(0).location() + " says split.tensors.count = " + tensors.value()
                    + ", but the parts hold " + total + " tensors: a part is from another model or damaged");
        }
    }

    private static void checkIndex(ObjectNode index, List<TensorInfo> tensors, List<String> notes) {
        Set<String> names = new java.util.HashSet<>();
        tensors.forEach(t -> names.add(t.name()));
        long missing = 0;
        for (var it = index.path("weight_map").fieldNames(); it.hasNext(); ) {
            if (!names.contains(it.next())) {
                missing++;
            }
        }
        if (missing > 0) {
            notes.add("model.safetensors.index.json lists " + missing + " tensors that are in none of the shards' headers");
        }
        JsonNode total = index.path("metadata").path("total_size");
        long bytes = tensors.stream().mapToLong(TensorInfo::bytes).sum();
        if (total.canConvertToLong() && total.asLong() != bytes) {
            notes.add("model.safetensors.index.json gives total_size " + total.asLong() + ", the headers add up to " + bytes);
        }
    }

    /** The shard files of a safetensors index, in order of first mention. */
    static List<String> shards(ObjectNode index, String where) {
        JsonNode map = index.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new InvalidModelSourceException(where + " has no weight_map");
        }
        Set<String> files = new LinkedHashSet<>();
        map.elements().forEachRemaining(v -> files.add(ModelReference.safePath(v.asText(""), where)));
        return List.copyOf(files);
    }

    /** Every part of a split GGUF model named like {@code path} ({@code -00002-of-00005.gguf}), or just {@code path}. */
    static List<String> splitParts(String path) {
        Matcher m = SPLIT.matcher(path);
        if (!m.matches()) {
            return List.of(path);
        }
        int n = Integer.parseInt(m.group(3));
        if (n < 1 || Integer.parseInt(m.group(2)) > n) {
            throw new InvalidModelSourceException(path + " is named like part " + Integer.parseInt(m.group(2)) + " of " + n
                    + " of a split model, which cannot be");
        }
        String suffix = path.substring(path.length() - ".gguf".length());
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parts.add(String.format("%s-%05d-of-%s%s", m.group(1), i, m.group(3), suffix));
        }
        return parts;
    }

    private static String readText(Path p, List<Origin.SourceFile> files) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            files.add(new Origin.SourceFile(p.getFileName().toString(), p.toString(), null, Files.size(p), "whole", false));
            return s;
        } catch (IOException e) {
            throw new InvalidModelSourceException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir, String extension) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase(Locale.ROOT).endsWith(extension))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InvalidModelSourceException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
