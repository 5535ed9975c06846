package gpupoor.validate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import gpupoor.calc.Names;
import gpupoor.catalog.ErrorBand;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Writes a run's per-row results as CSV, one row per measurement:
 * {@code id,metric,measured,predicted,low,high,error_pct,status,reason}, then what the row describes:
 * {@code model_id,hardware_id,n_devices,framework_id,quant_id,train_method,settings} (as the
 * measurements file gives them; blank where it has no such column). {@code low} and {@code high}
 * are the range the prediction puts the measured value in, from the row's error band
 * ({@link BandFit#heldOut}: made without the row's own source). Numbers are rounded to 2
 * decimals; blank where not available. Text echoed from the file is escaped
 * ({@link Names#printable}).
 */
public final class ResultsCsv {
    /** The output columns. */
    public static final List<String> COLUMNS = List.of("id", "metric", "measured", "predicted", "low", "high", "error_pct",
            "status", "reason", "model_id", "hardware_id", "n_devices", "framework_id", "quant_id", "train_method", "settings");

    /** The measurement columns echoed after the results. */
    private static final List<String> ECHOED = COLUMNS.subList(COLUMNS.indexOf("model_id"), COLUMNS.size());

    private static final CsvMapper MAPPER = new CsvMapper();

    static {
        MAPPER.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        MAPPER.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
    }

    private ResultsCsv() {
    }

    /**
     * Writes the header and one line per result; {@code out} is flushed, not closed.
     *
     * @param bands each result's error band (aligned with {@code results}; a null entry leaves {@code low} and
     *              {@code high} blank)
     */
    public static void write(List<RowResult> results, List<ErrorBand> bands, Writer out) {
        try (Lines lines = open(out)) {
            for (int i = 0; i < results.size(); i++) {
                lines.write(results.get(i), bands.get(i));
            }
        }
    }

    /** Writes the header to {@code out}; the lines of the results follow one at a time ({@link Lines#write}). */
    public static Lines open(Writer out) {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        try {
            return new Lines(MAPPER.writer(schema.build().withHeader()).writeValues(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a results file being written (a streamed file's rows as they are predicted). */
    public static final class Lines implements Closeable {
        private final SequenceWriter w;

        private Lines(SequenceWriter w) {
            this.w = w;
        }

        /** Writes one result's line; a null {@code band} leaves {@code low} and {@code high} blank. */
        public void write(RowResult r, ErrorBand band) {
            String[] cells = new String[COLUMNS.size()];
            int i = 0;
            cells[i++] = r.id();
            cells[i++] = r.metricId();
            cells[i++] = number(r.measured());
            cells[i++] = number(r.predicted());
            cells[i++] = band == null ? "" : number(band.low(r.predicted()));
            cells[i++] = band == null ? "" : number(band.high(r.predicted()));
            cells[i++] = number(r.errorPct());
            cells[i++] = r.status().id();
            cells[i++] = r.reason();
            for (String c : ECHOED) {
                cells[i++] = r.measurement().text(c);
            }
            for (int c = 0; c < cells.length; c++) {
                cells[c] = Names.printable(cells[c]);
            }
            try {
                w.write(cells);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Flushes the lines written; the underlying writer stays open. */
        @Override
        public void close() {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A number rounded half-up to 2 decimals, without trailing zeros; "" for null. */
    public static String number(Double v) {
        if (v == null) {
            return "";
        }
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
