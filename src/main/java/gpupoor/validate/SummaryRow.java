package gpupoor.validate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
     * {@link Metric} order) and then alphabetically.
     */
    public static List<SummaryRow> of(List<RowResult> results, Dimension... by) {
        List<Dimension> dims = Arrays.asList(by);
        Map<List<String>, List<RowResult>> groups = new LinkedHashMap<>();
        for (RowResult r : results) {
            List<String> key = dims.stream().map(d -> d.of(r)).toList();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<List<String>> keys = new ArrayList<>(groups.keySet());
        keys.sort(keyOrder(dims));
        List<SummaryRow> out = new ArrayList<>();
        for (List<String> key : keys) {
            Map<Dimension, String> group = new EnumMap<>(Dimension.class);
            for (int i = 0; i < dims.size(); i++) {
                group.put(dims.get(i), key.get(i));
            }
            out.add(of(group, groups.get(key)));
        }
        return out;
    }

    private static SummaryRow of(Map<Dimension, String> group, List<RowResult> rows) {
        List<Double> abs = new ArrayList<>();
        List<Double> signed = new ArrayList<>();
        int fits = 0;
        int fitsRight = 0;
        for (RowResult r : rows) {
            if (!r.isOk()) {
                continue;
            }
            if (r.metric().isClassification()) {
                fits++;
                fitsRight += r.classifiedRight() ? 1 : 0;
            } else {
                abs.add(Math.abs(r.errorPct()));
                signed.add(r.errorPct());
            }
        }
        return new SummaryRow(group, rows.size(), count(rows, Status.OK), count(rows, Status.EXCLUDED),
                count(rows, Status.UNSUPPORTED), count(rows, Status.INVALID), ErrorStats.percentile(abs, 0.5),
                ErrorStats.percentile(abs, 0.9), ErrorStats.mean(signed), fits == 0 ? null : (double) fitsRight / fits);
    }

    private static int count(List<RowResult> rows, Status status) {
        return (int) rows.stream().filter(r -> r.status() == status).count();
    }

    private static Comparator<List<String>> keyOrder(List<Dimension> dims) {
        return (a, b) -> {
            for (int i = 0; i < dims.size(); i++) {
                int c = dims.get(i) == Dimension.METRIC ? Integer.compare(metricRank(a.get(i)), metricRank(b.get(i))) : 0;
                if (c == 0) {
                    c = a.get(i).compareTo(b.get(i));
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static int metricRank(String id) {
        return Metric.ids().contains(id) ? Metric.ids().indexOf(id) : Metric.values().length;
    }
}
