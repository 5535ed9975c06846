package gpupoor.validate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The accuracy of one group of rows. Error statistics are over the predicted rows of the group's
 * value metrics; {@code fits_in_memory} rows count toward {@link #fitsRight()} instead.
 *
 * @param group             the group's value per dimension (empty for the whole file)
 * @param rows              all rows of the group
 * @param predicted         rows with status ok
 * @param excluded          rows with status excluded
 * @param unsupported       rows with status unsupported
 * @param invalid           rows with status invalid
 * @param medianAbsErrorPct median of |error %| (null when no value row was predicted)
 * @param p90AbsErrorPct    90th percentile of |error %| (linear interpolation; null likewise)
 * @param biasPct           mean signed error % (positive: over-predicts; null likewise)
 * @param fitsRight         share (0..1) of predicted fits_in_memory rows classified right (null when none)
 */
public record SummaryRow(Map<Dimension, String> group, int rows, int predicted, int excluded, int unsupported,
                         int invalid, Double medianAbsErrorPct, Double p90AbsErrorPct, Double biasPct,
                         Double fitsRight) {

    /** Makes the group unmodifiable. */
    public SummaryRow {
        Map<Dimension, String> copy = new EnumMap<>(Dimension.class);
        copy.putAll(group);
        group = Collections.unmodifiableMap(copy);
    }

    /**
     * Summarizes results grouped by the given dimensions: groups sorted by metric (in
     * {@link Metric} order) and then alphabetically ({@link Summary}).
     */
    public static List<SummaryRow> of(List<RowResult> results, Dimension... by) {
        Summary summary = new Summary(List.<Dimension[]>of(by));
        results.forEach(summary::add);
        return summary.rows(by);
    }
}
