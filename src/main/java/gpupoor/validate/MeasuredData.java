package gpupoor.validate;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.catalog.Csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A measurements file: the bundled {@code catalog/measured.csv} or a user's CSV with the same
 * columns. Columns the harness reads but the file lacks are listed in {@link #missingColumns()};
 * the rows that need them are reported one by one, and the rest of the file is still used.
 *
 * @param name           the file's name, for messages
 * @param rows           the data rows, in file order
 * @param missingColumns columns of {@link #COLUMNS} the file lacks
 */
public record MeasuredData(String name, List<Measurement> rows, List<String> missingColumns) {

    /** The bundled file, a classpath resource. */
    public static final String BUNDLED = "catalog/measured.csv";

    /**
     * The columns the harness reads. {@code iterations} (micro-batch steps of a whole run) is needed
     * by {@code train_runtime_total} rows only; {@code settings} (the run's setup as estimate
     * options) is read when present; the other source columns ({@code model, framework,
     * quant, hardware, value, unit, notes}) are kept for display.
     */
    public static final List<String> COLUMNS = List.of("id", "source", "model_id", "hardware_id", "n_devices",
            "backend", "framework_id", "quant_id", "train_method", "batch", "prompt_len", "gen_len", "context_len",
            "metric", "value_norm", "unit_norm", "exclude", "notes_norm", "iterations", "settings");

    /** Optional columns: their absence is not reported. */
    private static final List<String> OPTIONAL = List.of("iterations", "notes_norm", "unit_norm", "source", "settings");

    /** Makes the lists unmodifiable. */
    public MeasuredData {
        rows = List.copyOf(rows);
        missingColumns = List.copyOf(missingColumns);
    }

    /** The bundled measurements ({@code catalog/measured.csv}, see {@code catalog/measured.md}). */
    public static MeasuredData bundled() {
        InputStream in = MeasuredData.class.getClassLoader().getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IllegalStateException("catalog resource missing from the classpath: " + BUNDLED);
        }
        return of(BUNDLED, Csv.read(in, BUNDLED));
    }

    /**
     * Reads a measurements CSV with a header row.
     *
     * @throws InvalidScenarioException when the file cannot be read, has no header row, is not CSV,
     *                                  or has none of the columns {@code metric} and {@code value_norm}
     */
    public static MeasuredData read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidScenarioException("measurements file not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot read measurements file " + file + ": " + e.getMessage());
        }
        if (text.isBlank() || text.lines().findFirst().orElse("").isBlank()) {
            throw new InvalidScenarioException("measurements file " + file + " has no header row on its first line; "
                    + "the columns read are: " + String.join(", ", COLUMNS) + " (see catalog/measured.md)");
        }
        List<Map<String, String>> cells;
        try (Reader in = new StringReader(text)) {
            cells = Csv.read(in, file.toString());
        } catch (IOException | IllegalArgumentException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidScenarioException("cannot read measurements file " + file + ": " + message);
        }
        return of(file.toString(), cells);
    }

    /**
     * Measurements from rows already read (column name to cell text).
     *
     * @throws InvalidScenarioException when no row has a {@code metric} or a {@code value_norm} column
     */
    public static MeasuredData of(String name, List<Map<String, String>> cells) {
        List<Measurement> rows = new ArrayList<>();
        for (Map<String, String> c : cells) {
            rows.add(new Measurement(rows.size() + 1, c));
        }
        List<String> missing = new ArrayList<>();
        for (String column : COLUMNS) {
            if (!OPTIONAL.contains(column) && !rows.isEmpty() && rows.get(0).cell(column) == null) {
                missing.add(column);
            }
        }
        if (missing.contains("metric") && missing.contains("value_norm")) {
            throw new InvalidScenarioException("'" + name + "' is not a measurements file: it has neither a metric "
                    + "nor a value_norm column; the columns read are: " + String.join(", ", COLUMNS)
                    + " (see catalog/measured.md)");
        }
        return new MeasuredData(name, rows, missing);
    }

    /** A copy holding only the rows that pass {@code keep}. */
    public MeasuredData filter(java.util.function.Predicate<Measurement> keep) {
        return new MeasuredData(name, rows.stream().filter(keep).toList(), missingColumns);
    }
}
