package gpupoor.validate;

import gpupoor.calc.Names;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Writes a run's per-row results as CSV, one row per measurement:
 * {@code id,metric,measured,predicted,error_pct,status,reason}. Predictions and errors are
 * rounded to 2 decimals; blank where not available. Text echoed from the file is escaped
 * ({@link Names#printable}).
 */
public final class ResultsCsv {
    /** The output columns. */
    public static final List<String> COLUMNS = List.of("id", "metric", "measured", "predicted", "error_pct", "status",
            "reason");

    private static final CsvMapper MAPPER = new CsvMapper();

    static {
        MAPPER.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        MAPPER.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
    }

    private ResultsCsv() {
    }

    /** Writes the header and one line per result; {@code out} is flushed, not closed. */
    public static void write(List<RowResult> results, Writer out) {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        try (SequenceWriter w = MAPPER.writer(schema.build().withHeader()).writeValues(out)) {
            for (RowResult r : results) {
                w.write(new String[] {Names.printable(r.id()), Names.printable(r.metricId()), number(r.measured()),
                        number(r.predicted()), number(r.errorPct()), r.status().id(), Names.printable(r.reason())});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
