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
import java.util.List;
import java.util.Map;

/** {@code estimate --csv}: one output row per input row, with a per-row error instead of aborting. */
final class CsvEstimates {
    /** Input columns echoed to the output. */
    static final List<String> INPUT = new ArrayList<>();
    /** Output columns appended. */
    static final List<String> OUTPUT = List.of("total_mib", "kv_mib", "model_mib", "activation_mib", "grad_opt_mib",
            "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter", "error");

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
        String[] cells = new String[OUTPUT.size()];
        java.util.Arrays.fill(cells, "");
        try {
            Estimate e = method.estimate(ScenarioRequest.fromRow(row).resolve(Catalog.get()));
            if (e.memory() != null) {
                Map<String, Object> m = SeedFormat.memory(e);
                int i = 0;
                for (Object v : m.values()) {
                    cells[i++] = text(v);
                }
            }
            if (e.speed() != null) {
                Map<String, Object> s = SeedFormat.speed(e);
                cells[6] = text(s.get("Token per second"));
                cells[7] = text(s.get("ms per token"));
                cells[8] = text(s.get("Prompt process time (s)"));
                cells[9] = text(s.get("memory or compute bound?"));
            }
            if (e.training() != null) {
                Map<String, Object> t = SeedFormat.training(e);
                cells[9] = text(t.get("memory or compute bound?"));
                cells[10] = text(t.get("ms per iteration (forward + backward)"));
            }
            cells[11] = String.join("; ", e.notes().stream().filter(n -> n.contains(": ")).toList());
        } catch (InvalidScenarioException ex) {
            cells[11] = ex.getMessage();
        }
        return List.of(cells);
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
