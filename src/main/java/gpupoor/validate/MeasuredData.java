package gpupoor.validate;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.catalog.Csv;

import java.io.Closeable;
import java.io.InputStream;
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
        try (Rows rows = openBundled()) {
            return of(rows);
        }
    }

    /**
     * Reads a measurements CSV with a header row. Each row is kept as it is; its problems (a cell
     * that is not a number, more cells than the header has) are its own, reported when the row is
     * predicted ({@link RowScenario}).
     *
     * @throws InvalidScenarioException when the file is missing, not a regular file, empty, or has
     *                                  none of the columns {@code metric} and {@code value_norm}
     */
    public static MeasuredData read(Path file) {
        try (Rows rows = open(file)) {
            return of(rows);
        }
    }

    /** The bundled measurements, one row at a time. */
    public static Rows openBundled() {
        InputStream in = MeasuredData.class.getClassLoader().getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IllegalStateException("catalog resource missing from the classpath: " + BUNDLED);
        }
        return new Rows(Csv.Rows.of(in, BUNDLED));
    }

    /**
     * A measurements CSV with a header row, one row at a time (as {@link #read} reads it).
     *
     * @throws InvalidScenarioException as {@link #read}
     */
    public static Rows open(Path file) {
        return new Rows(Csv.Rows.open(file));
    }

    private static MeasuredData of(Rows in) {
        List<Measurement> rows = new ArrayList<>();
        for (Measurement m = in.next(); m != null; m = in.next()) {
            rows.add(m);
        }
        return new MeasuredData(in.name(), rows, in.missingColumns());
    }

    /**
     * A measurements file read one row at a time: memory does not grow with the file. Close it when done.
     */
    public static final class Rows implements Closeable {
        private final Csv.Rows in;
        private final List<String> missing;

        private Rows(Csv.Rows in) {
            this.in = in;
            try {
                this.missing = List.copyOf(missing(in.name(), in.header()));
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** The file's name, for messages. */
        public String name() {
            return in.name();
        }

        /** The columns of {@link #COLUMNS} (but the optional ones) the file lacks. */
        public List<String> missingColumns() {
            return missing;
        }

        /** The next row, or null at the end of the file. */
        public Measurement next() {
            Csv.Row r = in.next();
            return r == null ? null : new Measurement(r.number(), r.cells(), r.problem());
        }

        @Override
        public void close() {
            in.close();
        }
    }

    /**
     * Measurements from rows already read (column name to cell text), numbered as a spreadsheet
     * numbers them under a header row (the first is row 2).
     *
     * @throws InvalidScenarioException when the rows have neither a {@code metric} nor a {@code value_norm} column
     */
    public static MeasuredData of(String name, List<Map<String, String>> cells) {
        List<Measurement> rows = new ArrayList<>();
        for (Map<String, String> c : cells) {
            rows.add(new Measurement(rows.size() + 2, c));
        }
        List<String> missing = rows.isEmpty() ? List.of() : missing(name, List.copyOf(rows.get(0).cells().keySet()));
        return new MeasuredData(name, rows, missing);
    }

    /** The columns of {@link #COLUMNS} (but the optional ones) a header lacks. */
    private static List<String> missing(String name, List<String> header) {
        List<String> missing = new ArrayList<>();
        for (String column : COLUMNS) {
            if (!OPTIONAL.contains(column) && !header.contains(column)) {
                missing.add(column);
            }
        }
        if (missing.contains("metric") && missing.contains("value_norm")) {
            throw new InvalidScenarioException("'" + name + "' is not a measurements file: its first row has neither a "
                    + "metric nor a value_norm column; the columns read are: " + String.join(", ", COLUMNS)
                    + " (see catalog/measured.md)");
        }
        return missing;
    }

    /** A copy holding only the rows that pass {@code keep}. */
    public MeasuredData filter(java.util.function.Predicate<Measurement> keep) {
        return new MeasuredData(name, rows.stream().filter(keep).toList(), missingColumns);
    }
}
