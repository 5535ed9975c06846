package gpupoor.dsl;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The points of a sweep: every combination of its axes' values, the first axis varying slowest.
 * A point is an index; its values and setup are computed from it, so nothing is stored per point.
 */
final class Grid {

    final Setup base;
    final List<Axis> axes;
    final int size;
    private final int[] strides;
    private final int[] applyOrder;

    Grid(Setup base, List<Axis> axes) {
        this.base = base;
        this.axes = List.copyOf(axes);
        long n = 1;
        for (Axis a : axes) {
            n *= a.size();
        }
        this.size = (int) n;
        strides = new int[axes.size()];
        int stride = 1;
        for (int k = axes.size() - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= axes.get(k).size();
        }
        applyOrder = java.util.stream.IntStream.range(0, axes.size()).boxed()
                .sorted(Comparator.comparingInt(k -> axes.get(k).order())).mapToInt(Integer::intValue).toArray();
    }

    /** Index of point {@code i}'s value on axis {@code k}. */
    int valueIndex(int i, int k) {
        return (i / strides[k]) % axes.get(k).size();
    }

    /** The setup of point {@code i}: the base with each axis' value applied, in the axes' order of application. */
    Setup setup(int i) {
        return setup(i, new Cursor(axes.size()));
    }

    /**
     * The setup of point {@code i}, starting from the setups {@code cursor} kept of the previous
     * point: the axes whose values it shares with that point (a prefix in the order of application)
     * are not applied again. Consecutive points differ mostly in the last axis, so a sweep's point
     * mostly costs one application, not one per axis.
     */
    Setup setup(int i, Cursor cursor) {
        int same = 0;
        if (cursor.valid) {
            while (same < applyOrder.length && valueIndex(i, applyOrder[same]) == cursor.values[same]) {
                same++;
            }
        }
        cursor.valid = false;  // until every axis is applied (an axis' value may be refused)
        Setup s = same == 0 ? base : cursor.setups[same - 1];
        for (int j = same; j < applyOrder.length; j++) {
            int k = applyOrder[j];
            Axis a = axes.get(k);
            int v = valueIndex(i, k);
            s = a.apply().apply(s, a.values().get(v));
            cursor.values[j] = v;
            cursor.setups[j] = s;
        }
        cursor.valid = true;
        return s;
    }

    /** The setups of one point after each axis applied (in the order of application), for the next point's {@link #setup(int, Cursor)}. */
    static final class Cursor {
        private final int[] values;
        private final Setup[] setups;
        private boolean valid;

        Cursor(int axes) {
            values = new int[axes];
            setups = new Setup[axes];
        }
    }

    /** Whether an axis sets both prompt and generated tokens (a context axis, whose split the table shows). */
    boolean hasContext() {
        return axes.stream().anyMatch(a -> a.sets().contains("generate") && a.sets().contains("prompt"));
    }

    /** The label of point {@code i} on the axes {@code ks}, joined with " · ". */
    String label(int i, int[] ks) {
        StringBuilder sb = new StringBuilder();
        for (int k : ks) {
            if (sb.length() > 0) {
                sb.append(" · ");
            }
            sb.append(axes.get(k).label(valueIndex(i, k)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(axes.stream().map(Axis::column).toArray());
    }
}
