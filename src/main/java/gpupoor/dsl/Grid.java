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
        Setup s = base;
        for (int k : applyOrder) {
            Axis a = axes.get(k);
            s = a.apply().apply(s, a.values().get(valueIndex(i, k)));
        }
        return s;
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
