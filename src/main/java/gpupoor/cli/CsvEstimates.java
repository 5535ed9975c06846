package gpupoor.cli;

import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.SeedFormat;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.catalog.ScenarioRequest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code estimate --csv}: one output row per input row, with a per-row error instead of aborting.
 * A row whose estimate lacks a part says why in {@code error}: the notes that start with
 * {@code "memory: "} or {@code "speed: "} (speed covers training time, as the original's token/s
 * button does).
 */
final class CsvEstimates {
    /** Input columns echoed to the output. */
    static final List<String> INPUT = new ArrayList<>();
    /** Output columns appended. */
    static final List<String> OUTPUT = List.of("total_mib", "kv_mib", "model_mib", "activation_mib",
            "grad_opt_mib", "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter", "error");

    static {
        INPUT.add("case");
        INPUT.addAll(ScenarioRequest.COLUMNS);
    }

    private final Method method;

    CsvEstimates(Method method) {
        this.method = method;
    }

    void run(Path file, PrintWriter out) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidScenarioException("CSV file not found: " + file);
        }
        List<Map<String, String>> rows;
        try {
            rows = Csv.read(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot read CSV file " + file + ": " + e.getMessage());
        }
        List<String> header = new ArrayList<>(INPUT);
        header.addAll(OUTPUT);
        out.println(line(header));
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : INPUT) {
                cells.add(row.getOrDefault(c, ""));
            }
            cells.addAll(estimate(row));
            out.println(line(cells));
        }
    }

    private List<String> estimate(Map<String, String> row) {
        Map<String, String> cells = new HashMap<>();
        try {
            Estimate e = method.estimate(ScenarioRequest.fromRow(row).resolve(Catalog.get()));
            if (e.memory() != null) {
                Map<String, Object> m = SeedFormat.memory(e);
                cells.put("total_mib", text(m.get("Total")));
                cells.put("kv_mib", text(m.get("KV Cache")));
                cells.put("model_mib", text(m.get("Model Size")));
                cells.put("activation_mib", text(m.get("Activation Memory")));
                cells.put("grad_opt_mib", text(m.get("Grad & Optimizer memory")));
                cells.put("overhead_mib", text(m.get("cuda + other overhead")));
            }
            if (e.speed() != null) {
                Map<String, Object> s = SeedFormat.speed(e);
                cells.put("tok_s", text(s.get("Token per second")));
                cells.put("ms_per_token", text(s.get("ms per token")));
                cells.put("prompt_s", text(s.get("Prompt process time (s)")));
                cells.put("bound", text(s.get("memory or compute bound?")));
            }
            if (e.training() != null) {
                Map<String, Object> t = SeedFormat.training(e);
                cells.put("bound", text(t.get("memory or compute bound?")));
                cells.put("ms_per_iter", text(t.get("ms per iteration (forward + backward)")));
            }
            cells.put("error", String.join("; ", e.notes().stream().filter(CsvEstimates::explainsAMissingPart).toList()));
        } catch (InvalidScenarioException ex) {
            cells.put("error", ex.getMessage());
        }
        return OUTPUT.stream().map(c -> cells.getOrDefault(c, "")).toList();
    }

    /** Notes starting "memory: " or "speed: " say why that part is missing; the others are remarks. */
    private static boolean explainsAMissingPart(String note) {
        return note.startsWith("memory: ") || note.startsWith("speed: ");
    }

    private static String text(Object v) {
        return v instanceof java.math.BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }

    private static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i) == null ? "" : cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
