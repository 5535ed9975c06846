package gpupoor.cli;

import gpupoor.calc.Estimate;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.SeedFormat;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.args.ScenarioArgs;

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
        INPUT.addAll(ScenarioArgs.COLUMNS);
    }

    private final Method method;
    private final Catalog catalog;

    /** Estimates rows with {@code method}, looking names up in {@code catalog}. */
    CsvEstimates(Method method, Catalog catalog) {
        this.method = method;
        this.catalog = catalog;
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
            Estimate e = method.estimate(ScenarioArgs.fromColumns(row).builder(catalog).build());
            cells.putAll(SeedFormat.columns(e));
            cells.put("error", String.join("; ", e.notes().stream().filter(CsvEstimates::explainsAMissingPart)
                    .map(n -> Input.render(n, ScenarioArgs.COLUMN_STYLE)).toList()));
        } catch (InvalidScenarioException ex) {
            cells.put("error", ex.in(ScenarioArgs.COLUMN_STYLE).getMessage());
        }
        return OUTPUT.stream().map(c -> cells.getOrDefault(c, "")).toList();
    }

    /** Notes starting "memory: " or "speed: " say why that part is missing; the others are remarks. */
    private static boolean explainsAMissingPart(String note) {
        return note.startsWith("memory: ") || note.startsWith("speed: ");
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
