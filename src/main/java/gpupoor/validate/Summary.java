package gpupoor.validate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validation summary folded in one result at a time, so that a file of any length can be
 * summarized while it streams: per group of each grouping it keeps the status counts and the
 * signed errors of the predicted value rows (a growing array of doubles), never the rows. Groups
 * come out as {@link SummaryRow}s, sorted by metric (in {@link Metric} order) and then alphabetically.
 */
public final class Summary {
    private final List<List<Dimension>> groupings = new ArrayList<>();
    private final List<Map<List<String>, Group>> groups = new ArrayList<>();
    private final int[] counts = new int[Status.values().length];
    private int rows;

    /** A summary that groups by each of {@code groupings} (an empty grouping: one group over everything). */
    public Summary(List<Dimension[]> groupings) {
        for (Dimension[] by : groupings) {
            this.groupings.add(List.of(by));
            groups.add(new HashMap<>());
        }
    }

    /** Folds in one result. */
    public void add(RowResult r) {
        rows++;
        counts[r.status().ordinal()]++;
        for (int g = 0; g < groupings.size(); g++) {
            List<Dimension> dims = groupings.get(g);
            String[] key = new String[dims.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = dims.get(i).of(r);
            }
            groups.get(g).computeIfAbsent(List.of(key), k -> new Group()).add(r);
        }
    }

    /** The results folded in. */
    public int rows() {
        return rows;
    }

    /** The results folded in with a status. */
    public int count(Status status) {
        return counts[status.ordinal()];
    }

    /**
     * The groups of one of the groupings given at construction.
     *
     * @throws IllegalArgumentException when {@code by} is not one of them
     */
    public List<SummaryRow> rows(Dimension... by) {
        List<Dimension> dims = List.of(by);
        int g = groupings.indexOf(dims);
        if (g < 0) {
            throw new IllegalArgumentException("not a grouping of this summary: " + dims);
        }
        List<List<String>> keys = new ArrayList<>(groups.get(g).keySet());
        keys.sort(keyOrder(dims));
        List<SummaryRow> out = new ArrayList<>();
        for (List<String> key : keys) {
            Map<Dimension, String> group = new EnumMap<>(Dimension.class);
            for (int i = 0; i < dims.size(); i++) {
                group.put(dims.get(i), key.get(i));
            }
            out.add(groups.get(g).get(key).row(group));
        }
        return out;
    }

    /** One group's counts and errors. */
    private static final class Group {
        private final int[] counts = new int[Status.values().length];
        private int rows;
        private double[] errors = new double[16];
        private int n;
        private int fits;
        private int fitsRight;

        void add(RowResult r) {
            rows++;
            counts[r.status().ordinal()]++;
            if (!r.isOk()) {
                return;
            }
            if (r.metric().isClassification()) {
                fits++;
                fitsRight += r.classifiedRight() ? 1 : 0;
            } else {
                if (n == errors.length) {
                    errors = Arrays.copyOf(errors, 2 * n);
                }
                errors[n++] = r.errorPct();
            }
        }

        SummaryRow row(Map<Dimension, String> group) {
            double[] abs = new double[n];
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(errors[i]);
            }
            Arrays.sort(abs);
            return new SummaryRow(group, rows, counts[Status.OK.ordinal()], counts[Status.EXCLUDED.ordinal()],
                    counts[Status.UNSUPPORTED.ordinal()], counts[Status.INVALID.ordinal()],
                    ErrorStats.percentileOfSorted(abs, 0.5), ErrorStats.percentileOfSorted(abs, 0.9),
                    ErrorStats.mean(errors, n),
                    fits == 0 ? null : (double) fitsRight / fits);
        }
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
        int rank = Metric.ids().indexOf(id);
        return rank < 0 ? Metric.values().length : rank;
    }
}
