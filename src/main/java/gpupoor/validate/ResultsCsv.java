package gpupoor.validate;

import gpupoor.calc.Names;
import gpupoor.catalog.Csv;
import gpupoor.catalog.ErrorBand;

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

    private ResultsCsv() {
    }

    /**
     * Writes the header and one line per result; {@code out} is flushed, not closed.
     *
     * @param bands each result's error band (aligned with {@code results}; a null entry leaves {@code low} and
     *              {@code high} blank)
     */
    public static void write(List<RowResult> results, List<ErrorBand> bands, Writer out) {
        try {
            out.write(header());
            for (int i = 0; i < results.size(); i++) {
                out.write(line(results.get(i), bands.get(i)));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header line, with its line break. */
    public static String header() {
        return Csv.line(COLUMNS.toArray(new String[0]));
    }

    /** One result's line, with its line break; a null {@code band} leaves {@code low} and {@code high} blank. */
    public static String line(RowResult r, ErrorBand band) {
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
        return Csv.line(cells);
    }

    /**
     * A number rounded half-up to 2 decimals, without trailing zeros; "" for null. Exactly as
     * {@link BigDecimal} rounds the double's binary value; a number of ordinary size that is not
     * within rounding distance of a tie is rounded in {@code long} arithmetic (the same digits).
     */
    public static String number(Double v) {
        if (v == null) {
            return "";
        }
        double scaled = v * 100;
        if (Math.abs(scaled) < 1e11) {
            // |scaled| < 1e11: the product's rounding error is below 1e-5, far from deciding a tie
            double fraction = Math.abs(scaled - Math.floor(scaled) - 0.5);
            if (fraction > 1e-4) {
                return hundredths(Math.round(scaled));
            }
        }
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** {@code n} hundredths as a plain decimal without trailing zeros: 12340 is "123.4", -5 is "-0.05". */
    private static String hundredths(long n) {
        if (n == 0) {
            return "0";
        }
        long a = Math.abs(n);
        StringBuilder sb = new StringBuilder(24);
        if (n < 0) {
            sb.append('-');
        }
        sb.append(a / 100);
        long cents = a % 100;
        if (cents != 0) {
            sb.append('.').append((char) ('0' + cents / 10));
            if (cents % 10 != 0) {
                sb.append((char) ('0' + cents % 10));
            }
        }
        return sb.toString();
    }
}
