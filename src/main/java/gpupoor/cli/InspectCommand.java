package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpupoor.source.GgufFile;
import gpupoor.source.GgufKv;
import gpupoor.source.GgufValueType;
import gpupoor.source.HubSettings;
import gpupoor.source.ModelSource;
import gpupoor.source.ModelSources;
import gpupoor.source.Origin;
import gpupoor.source.Quantization;
import gpupoor.source.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code inspect}: what a model reference holds, read from its headers only: the text model's
 * config, the vision tower's, the quantization, every tensor with its storage type and exact bytes,
 * and totals per type.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what a model holds, read from its file headers only (no weights are downloaded):",
                "the text model's config, the quantization, every tensor with its type, shape and exact bytes, and totals",
                "by type. MODEL_REF is a Hub id org/name[@revision], a .gguf file (all parts of a split model are read),",
                "a config.json, a model directory, an https:// URL of a .gguf file, or hf://org/name/file.gguf.",
                "The Hub is reached as huggingface_hub does: HF_ENDPOINT, HF_TOKEN (or $HF_HOME/token), HF_HUB_OFFLINE=1,",
                "HF_HOME; what is read is cached under $GPUPOOR_CACHE (default ~/.cache/gpupoor) for the next call.",
                "Bad input exits with code 2 and a message."})
public final class InspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = EstimateCommand.JSON;
    /** Metadata arrays up to this length are printed whole; longer ones as their length and first values. */
    private static final int ARRAY_SHOWN = 64;
    private static final int ARRAY_HEAD = 8;

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_REF", description = "The model: org/name[@revision], a .gguf file, a config.json, a directory, an https:// URL or hf://org/name/file.gguf.")
    String reference;
    @Option(names = "--format", paramLabel = "FMT", description = "table (default: aligned text) or json.")
    String format = "table";
    @Option(names = "--offline", description = "Use only what is cached, as HF_HUB_OFFLINE=1 does.")
    boolean offline;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("json") && !format.equals("table")) {
            throw new IllegalArgumentException("--format must be table or json, got '" + format + "'");
        }
        HubSettings settings = HubSettings.fromEnvironment();
        if (offline) {
            settings = settings.withOffline(true);
        }
        ModelSource m = ModelSources.load(reference, settings);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(JSON.writeValueAsString(json(m)));
        } else {
            table(m, out);
        }
        out.flush();
        return 0;
    }

    /** The description as JSON (the layout {@code --format json} prints). */
    static ObjectNode json(ModelSource m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("reference", m.reference());
        o.put("format", m.format().name().toLowerCase(Locale.ROOT));
        o.set("origin", origin(m.origin()));
        o.set("config", m.config());
        if (m.vision() != null) {
            o.set("vision", m.vision());
        }
        if (m.generation() != null) {
            o.set("generation", m.generation());
        }
        if (m.quantization() != null) {
            o.set("quantization", quantization(m.quantization()));
        }
        ObjectNode totals = o.putObject("totals");
        totals.put("tensors", m.tensors().size());
        totals.put("elements", m.totalElements());
        totals.put("bytes", m.totalBytes());
        totals.set("byType", totals(m.totalsByType()));
        totals.set("byModality", totals(m.totalsByModality()));
        ArrayNode tensors = o.putArray("tensors");
        for (TensorInfo t : m.tensors()) {
            ObjectNode j = tensors.addObject();
            j.put("name", t.name());
            j.put("type", t.type().id());
            ArrayNode shape = j.putArray("shape");
            t.shape().forEach(shape::add);
            j.put("elements", t.elements());
            j.put("bytes", t.bytes());
            j.put("file", t.file());
            j.put("offset", t.offset());
            j.put("modality", t.modality().name().toLowerCase(Locale.ROOT));
        }
        if (!m.ggufFiles().isEmpty()) {
            ArrayNode files = o.putArray("gguf");
            for (GgufFile f : m.ggufFiles()) {
                ObjectNode j = files.addObject();
                j.put("location", f.location());
                j.put("version", f.version());
                j.put("alignment", f.alignment());
                j.put("headerBytes", f.headerBytes());
                j.put("dataOffset", f.dataOffset());
                ObjectNode md = j.putObject("metadata");
                for (GgufKv kv : f.metadata().values()) {
                    md.set(kv.key(), kv(kv));
                }
            }
        }
        ArrayNode notes = o.putArray("notes");
        m.notes().forEach(notes::add);
        return o;
    }

    private static ObjectNode origin(Origin g) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", g.kind().name().toLowerCase(Locale.ROOT));
        o.put("repo", g.repo());
        o.put("revision", g.revision());
        o.put("commit", g.commit());
        o.put("cache", g.cacheDir() == null ? null : g.cacheDir().toString());
        o.put("network", g.network());
        ArrayNode files = o.putArray("files");
        for (Origin.SourceFile f : g.files()) {
            ObjectNode j = files.addObject();
            j.put("name", f.name());
            j.put("location", f.location());
            j.put("etag", f.etag());
            j.put("size", f.size());
            j.put("part", f.part());
            j.put("cached", f.cached());
        }
        return o;
    }

    private static ObjectNode quantization(Quantization q) {
        ObjectNode o = JSON.createObjectNode();
        o.put("method", q.method().name());
        o.put("name", q.name());
        o.put("bits", q.bits());
        o.put("groupSize", q.groupSize());
        o.put("scheme", q.scheme());
        ArrayNode skip = o.putArray("unquantized");
        q.unquantized().forEach(skip::add);
        return o;
    }

    private static ObjectNode totals(Map<String, ModelSource.Totals> totals) {
        ObjectNode o = JSON.createObjectNode();
        totals.forEach((k, t) -> {
            ObjectNode j = o.putObject(k);
            j.put("tensors", t.tensors());
            j.put("elements", t.elements());
            j.put("bytes", t.bytes());
        });
        return o;
    }

    private static ObjectNode kv(GgufKv kv) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", kv.type().name());
        if (kv.type() == GgufValueType.ARRAY) {
            List<?> list = kv.asList();
            o.put("elementType", kv.elementType().name());
            o.put("length", list.size());
            o.set(list.size() <= ARRAY_SHOWN ? "values" : "head",
                    value(list.size() <= ARRAY_SHOWN ? list : list.subList(0, ARRAY_HEAD), kv.type()));
        } else {
            o.set("value", value(kv.value(), kv.type()));
        }
        return o;
    }

    private static JsonNode value(Object v, GgufValueType type) {
        if (v instanceof List<?> list) {
            ArrayNode a = JSON.createArrayNode();
            list.forEach(x -> a.add(value(x, null)));
            return a;
        }
        if (v instanceof Long l && type == GgufValueType.UINT64 && l < 0) {
            return JSON.getNodeFactory().numberNode(new java.math.BigInteger(Long.toUnsignedString(l)));
        }
        return JSON.valueToTree(v);
    }

    private static void table(ModelSource m, PrintWriter out) {
        ObjectNode c = m.config();
        Origin g = m.origin();
        out.println("Model     : " + m.reference());
        StringBuilder src = new StringBuilder(g.kind().name().toLowerCase(Locale.ROOT));
        if (g.repo() != null) {
            src.append(' ').append(g.repo()).append('@').append(g.revision());
        }
        if (g.commit() != null) {
            src.append(" (commit ").append(g.commit(), 0, 12).append(')');
        }
        src.append(", ").append(g.files().size()).append(g.files().size() == 1 ? " file" : " files");
        if (g.kind() != Origin.Kind.LOCAL) {
            src.append(g.network() ? ", read over the network" : ", all from the cache");
        }
        out.println("Source    : " + src);
        out.println("Format    : " + m.format().name().toLowerCase(Locale.ROOT));
        out.println("Config    : " + summary(c));
        if (m.vision() != null) {
            out.println("Vision    : " + summary(m.vision()));
        }
        if (m.quantization() != null) {
            out.println("Quantized : " + quantText(m.quantization()));
        }
        out.printf(Locale.ROOT, "Weights   : %d tensors, %,d elements, %,d bytes (%s)%n", m.tensors().size(),
                m.totalElements(), m.totalBytes(), gib(m.totalBytes()));
        if (!m.tensors().isEmpty()) {
            totals("By type   :", "type", m.totalsByType(), out);
            if (m.totalsByModality().size() > 1) {
                totals("By part   :", "part", m.totalsByModality(), out);
            }
            int w = Math.max(4, m.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(4));
            out.println("Tensors   :");
            out.printf(Locale.ROOT, "  %-" + w + "s  %-11s %-22s %16s %16s%n", "name", "type", "shape", "elements", "bytes");
            for (TensorInfo t : m.tensors()) {
                out.printf(Locale.ROOT, "  %-" + w + "s  %-11s %-22s %,16d %,16d%n", t.name(), t.type().id(),
                        t.shape().toString(), t.elements(), t.bytes());
            }
        }
        for (String n : m.notes()) {
            out.println("note: " + n);
        }
    }

    private static void totals(String title, String what, Map<String, ModelSource.Totals> totals, PrintWriter out) {
        out.println(title);
        out.printf(Locale.ROOT, "  %-12s %8s %20s %20s%n", what, "tensors", "elements", "bytes");
        totals.forEach((k, t) -> out.printf(Locale.ROOT, "  %-12s %8d %,20d %,20d%n", k, t.tensors(), t.elements(), t.bytes()));
    }

    private static String summary(ObjectNode c) {
        StringBuilder b = new StringBuilder();
        append(b, c, "model_type", "");
        append(b, c, "num_hidden_layers", " layers");
        append(b, c, "hidden_size", " hidden");
        append(b, c, "num_attention_heads", " heads");
        append(b, c, "num_key_value_heads", " KV heads");
        append(b, c, "head_dim", " head dim");
        append(b, c, "num_local_experts", " experts");
        append(b, c, "num_experts_per_tok", " active experts");
        append(b, c, "vocab_size", " vocab");
        append(b, c, "max_position_embeddings", " context");
        append(b, c, "sliding_window", " sliding window");
        return b.toString();
    }

    private static void append(StringBuilder b, ObjectNode c, String key, String label) {
        JsonNode v = c.get(key);
        if (v != null && !v.isNull() && !v.isContainerNode()) {
            b.append(b.length() == 0 ? "" : ", ").append(v.asText()).append(label);
        }
    }

    private static String quantText(Quantization q) {
        StringBuilder b = new StringBuilder(q.method().name());
        if (q.bits() != null) {
            b.append(' ').append(q.bits()).append("-bit");
        }
        if (q.scheme() != null) {
            b.append(' ').append(q.scheme());
        }
        if (q.groupSize() != null) {
            b.append(q.groupSize() < 0 ? ", per channel" : ", groups of " + q.groupSize());
        }
        if (!q.unquantized().isEmpty()) {
            b.append(" (kept unquantized: ").append(String.join(", ", q.unquantized())).append(')');
        }
        return b.toString();
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
