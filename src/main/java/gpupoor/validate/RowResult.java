package gpupoor.validate;

import gpupoor.catalog.BandClass;

/**
 * One measurement against one method's prediction.
 *
 * @param measurement the row
 * @param metric      its metric (null when the row's metric is invalid)
 * @param status      ok, unsupported, excluded or invalid
 * @param measured    the measured value ({@code value_norm}), null when not read
 * @param predicted   the prediction in the same unit (0/1 for {@code fits_in_memory}), null unless ok
 * @param errorPct    100·(predicted − measured)/measured, null unless ok (and for {@code fits_in_memory})
 * @param reason      why the row is not ok; for ok rows, how non-obvious values were read ("" if nothing)
 * @param bandClass   the class of the row's error band ({@link BandClass#of}, from the row's scenario) for a
 *                    predicted value row, else null
 */
public record RowResult(Measurement measurement, Metric metric, Status status, Double measured, Double predicted,
                        Double errorPct, String reason, BandClass bandClass) {

    /** The row's {@code id}. */
    public String id() {
        return measurement.id();
    }

    /** The metric id, or the row's {@code metric} cell as written when it is not a known metric. */
    public String metricId() {
        return metric == null ? measurement.metric() : metric.id();
    }

    /** Whether the row was predicted. */
    public boolean isOk() {
        return status == Status.OK;
    }

    /** For {@code fits_in_memory} rows that were predicted: whether the prediction matches the measurement. */
    public boolean classifiedRight() {
        return isOk() && predicted.equals(measured);
    }
}
