package gpupoor.dsl;

import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.calc.accurate.ModelSummary;
import gpupoor.catalog.Catalog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the catalog holds, as tables: the models ({@link #models}), the devices ({@link #devices})
 * and the quantization ids ({@link #quants}), each filtered by words that must all occur in a row's
 * id (or, for devices, its name or vendor), case-insensitively. The command line's
 * {@code gpupoor list} prints the same tables.
 */
public final class Listing {
    private Listing() {
    }

    /**
     * The catalog's models whose id has every word of {@code filter} (null or blank: all of them),
     * and, when a filter is given, the matching ids of the original calculator's table: id, source,
     * architecture, parameters and those a token uses (billions), blocks, blocks with a KV cache,
     * f16 KV cache per token (KiB) and the vision tower (billions).
     */
    public static ResultTable models(Catalog catalog, String filter) {
        List<String> words = words(filter);
        List<String[]> ids = new ArrayList<>();
        for (String id : catalog.modelIds()) {
            if (matches(words, id)) {
                ids.add(new String[]{id, "catalog"});
            }
        }
        if (!words.isEmpty()) {
            for (String id : catalog.gpuPoorModelIds()) {
                if (matches(words, id) && !catalog.modelIds().contains(id)) {
                    ids.add(new String[]{id, "gpu_poor table"});
                }
            }
        }
        StringColumn idCol = StringColumn.create("id");
        StringColumn source = StringColumn.create("source");
        StringColumn arch = StringColumn.create("architecture");
        DoubleColumn params = DoubleColumn.create("params_b");
        DoubleColumn active = DoubleColumn.create("active_b");
        IntColumn layers = IntColumn.create("layers");
        IntColumn attention = IntColumn.create("attention_layers");
        DoubleColumn kv = DoubleColumn.create("kv_kib_per_token");
        DoubleColumn vision = DoubleColumn.create("vision_b");
        for (String[] row : ids) {
            ModelSpec m = catalog.model(row[0]);
            idCol.append(row[0]);
            source.append(row[1]);
            ModelSummary s;
            try {
                s = ModelSummary.of(m);
            } catch (InvalidScenarioException e) {
                arch.append(String.valueOf(m.config().getOrDefault("model_type", "")));
                params.appendMissing();
                active.appendMissing();
                layers.appendMissing();
                attention.appendMissing();
                kv.appendMissing();
                vision.appendMissing();
                continue;
            }
            arch.append(s.architecture());
            params.append(round(s.params() / 1e9, 3));
            active.append(round(s.activeParams() / 1e9, 3));
            layers.append(s.layers());
            attention.append(s.attentionLayers());
            kv.append(round(s.kvBytesPerToken() / 1024, 1));
            vision.append(round(s.visionParams() / 1e9, 3));
        }
        return ResultTable.of("models" + title(filter), idCol, source, arch, params, active, layers, attention, kv, vision);
    }

    /**
     * The catalog's devices whose id, name or vendor has every word of {@code filter} (null or
     * blank: all of them): id, name, kind, memory (GiB), memory type, bandwidth (GB/s) and the
     * dense fp16, fp8 and fp32 rates (TFLOPS).
     */
    public static ResultTable devices(Catalog catalog, String filter) {
        List<String> words = words(filter);
        StringColumn id = StringColumn.create("id");
        StringColumn name = StringColumn.create("name");
        StringColumn kind = StringColumn.create("kind");
        DoubleColumn memory = DoubleColumn.create("memory_gib");
        StringColumn type = StringColumn.create("memory_type");
        DoubleColumn bandwidth = DoubleColumn.create("bandwidth_gbs");
        DoubleColumn fp16 = DoubleColumn.create("fp16_tflops");
        DoubleColumn fp8 = DoubleColumn.create("fp8_tflops");
        DoubleColumn fp32 = DoubleColumn.create("fp32_tflops");
        for (Hardware h : catalog.allHardware()) {
            if (!matches(words, h.id() + " " + h.name() + " " + catalog.vendor(h.id()))) {
                continue;
            }
            id.append(h.id());
            name.append(h.name());
            kind.append(h.kind().name().toLowerCase(Locale.ROOT));
            appendPositive(memory, h.memoryGiB());
            type.append(h.memoryType() == null ? "" : h.memoryType());
            appendPositive(bandwidth, h.bandwidthGBs());
            appendPositive(fp16, h.fp16Tflops());
            appendPositive(fp8, h.fp8Tflops());
            appendPositive(fp32, h.fp32Tflops());
        }
        return ResultTable.of("devices" + title(filter), id, name, kind, memory, type, bandwidth, fp16, fp8, fp32);
    }

    /**
     * The quantization ids whose id or family has every word of {@code filter} (null or blank: all):
     * id, family, nominal bits per weight and quality rank (lower is closer to the 16-bit model).
     */
    public static ResultTable quants(String filter) {
        List<String> words = words(filter);
        StringColumn id = StringColumn.create("id");
        StringColumn family = StringColumn.create("family");
        DoubleColumn bits = DoubleColumn.create("nominal_bits");
        IntColumn rank = IntColumn.create("quality_rank");
        for (Quant q : Quant.values()) {
            String fam = q.family().name().toLowerCase(Locale.ROOT);
            if (!matches(words, q.id() + " " + fam)) {
                continue;
            }
            id.append(q.id());
            family.append(fam);
            bits.append(q.nominalBits());
            rank.append(q.quality());
        }
        return ResultTable.of("quantizations" + title(filter), id, family, bits, rank);
    }

    private static List<String> words(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return List.of(filter.trim().toLowerCase(Locale.ROOT).split("\\s+"));
    }

    private static boolean matches(List<String> words, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return words.stream().allMatch(t::contains);
    }

    private static String title(String filter) {
        return filter == null || filter.isBlank() ? "" : " matching '" + filter.trim() + "'";
    }

    private static void appendPositive(DoubleColumn c, double v) {
        if (v > 0) {
            c.append(v);
        } else {
            c.appendMissing();
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
