package gpupoor.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The error bands of the methods' estimates, one per class ({@link BandClass}) with measured rows
 * plus a wide default per metric: {@code catalog/error-bands.csv}, regenerated from the residuals
 * of {@code validate} by {@code scripts/fit-error-bands.sh} (see the bands section of
 * {@code catalog/calibration.md}). The engine reads no files; the front ends attach the bands to
 * what they show ({@link Uncertainty}).
 */
public final class ErrorBands {

    /** The classpath resource. */
    public static final String RESOURCE = "catalog/error-bands.csv";

    /** The CSV's columns. */
    public static final List<String> COLUMNS = List.of("method", "metric", "runtime", "device", "gpus", "rows", "sources",
            "basis", "band_runtime", "band_device", "band_gpus", "band_rows", "band_sources", "p10_pct", "p90_pct",
            "median_abs_error_pct");

    private static final CsvMapper MAPPER = new CsvMapper();

    static {
        MAPPER.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        MAPPER.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
    }

    private final List<ErrorBand> entries;
    private final Map<List<Object>, ErrorBand> byClass = new HashMap<>();
    private final Map<List<String>, ErrorBand> defaults = new HashMap<>();

    /**
     * A table of bands: at most one per method and class, and at most one default (runtime, device
     * and count {@value BandClass#ANY}, no rows) per method and metric.
     *
     * @throws IllegalArgumentException when a class or a default appears twice
     */
    public ErrorBands(List<ErrorBand> entries) {
        this.entries = List.copyOf(entries);
        for (ErrorBand b : this.entries) {
            boolean fallback = b.isDefault() && b.rows() == 0;
            ErrorBand before = fallback ? defaults.put(List.of(b.method(), b.cls().metric()), b)
                    : byClass.put(List.of(b.method(), b.cls()), b);
            if (before != null) {
                throw new IllegalArgumentException("two bands for " + b.method() + " " + b.cls().label()
                        + (fallback ? " (default)" : ""));
            }
        }
    }

    /** Holds the bundled table, read on first use. */
    private static final class Bundled {
        static final ErrorBands BANDS = read(Catalog.resource(RESOURCE), RESOURCE);
    }

    /** The bundled bands ({@code catalog/error-bands.csv}). */
    public static ErrorBands bundled() {
        return Bundled.BANDS;
    }

    /** Every band, in table order. */
    public List<ErrorBand> entries() {
        return entries;
    }

    /**
     * The band of a method's estimates of one class: the class's own entry (its own rows, or a
     * parent's band when it has few), else the metric's wide default answering for this class (the
     * class has no measured row); null when the table knows neither the method nor the metric.
     */
    public ErrorBand band(String method, BandClass cls) {
        ErrorBand b = byClass.get(List.of(method, cls));
        if (b != null) {
            return b;
        }
        ErrorBand d = defaults.get(List.of(method, cls.metric()));
        return d == null ? null : d.answering(cls);
    }

    /**
     * Reads a table in the CSV form of {@link #toCsv()}.
     *
     * @throws IllegalArgumentException naming the line of a malformed row
     */
    public static ErrorBands read(InputStream in, String what) {
        List<ErrorBand> entries = new java.util.ArrayList<>();
        int line = 1;
        for (Map<String, String> r : Csv.read(in, what)) {
            line++;
            try {
                ErrorBand.Basis basis = ErrorBand.Basis.parse(cell(r, "basis"));
                BandClass cls = new BandClass(cell(r, "metric"), cell(r, "runtime"), cell(r, "device"), cell(r, "gpus"));
                BandClass from = basis == ErrorBand.Basis.DEFAULT ? null : new BandClass(cls.metric(),
                        cell(r, "band_runtime"), cell(r, "band_device"), cell(r, "band_gpus"));
                String median = cell(r, "median_abs_error_pct");
                entries.add(new ErrorBand(cell(r, "method"), cls, basis, Integer.parseInt(cell(r, "rows")),
                        Integer.parseInt(cell(r, "sources")), from, Integer.parseInt(cell(r, "band_rows")),
                        Integer.parseInt(cell(r, "band_sources")), Double.parseDouble(cell(r, "p10_pct")) / 100,
                        Double.parseDouble(cell(r, "p90_pct")) / 100,
                        median.isEmpty() ? Double.NaN : Double.parseDouble(median) / 100));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " line " + line + ": " + e.getMessage(), e);
            }
        }
        return new ErrorBands(entries);
    }

    private static String cell(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException("no column " + column);
        }
        return v.trim();
    }

    /** The table as CSV with a header ({@link #COLUMNS}); percentages to 2 decimals. */
    public String toCsv() {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        try (SequenceWriter w = MAPPER.writer(schema.build().withHeader().withLineSeparator("\n")).writeValues(out)) {
            for (ErrorBand b : entries) {
                BandClass c = b.cls();
                BandClass f = b.from();
                w.write(new String[] {b.method(), c.metric(), c.runtime(), c.device(), c.gpus(),
                        Integer.toString(b.rows()), Integer.toString(b.sources()), b.basis().id(),
                        f == null ? "" : f.runtime(), f == null ? "" : f.device(), f == null ? "" : f.gpus(),
                        Integer.toString(b.bandRows()), Integer.toString(b.bandSources()), pct(b.p10()), pct(b.p90()),
                        Double.isNaN(b.medianAbsError()) ? "" : pct(b.medianAbsError())});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String pct(double fraction) {
        return new BigDecimal(100 * fraction).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
