package gpupoor.dsl;

import gpupoor.calc.InvalidScenarioException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One swept parameter: its values and how a value changes a setup.
 *
 * @param column  the table column (with its unit), e.g. {@code context_tokens}
 * @param title   the chart axis title, e.g. {@code context (tokens)}
 * @param values  the values, in order
 * @param apply   how a value changes a setup
 * @param cell    the table cell and legend label of a value (Integer for numeric axes, String otherwise)
 * @param numeric whether values are numbers (plotted on an x axis) rather than names (bars, legends)
 * @param sets    the setup fields it changes (two axes may not change the same field)
 * @param order   when it is applied: lower first (fine-tuning mode before quantization, devices before counts)
 * @param training whether it applies to fine-tuning only
 */
record Axis(String column, String title, List<?> values, BiFunction<Setup, Object, Setup> apply,
            Function<Object, Object> cell, boolean numeric, Set<String> sets, int order, boolean training) {

    /** The most values one axis may have. */
    static final int MAX_VALUES = 10_000_000;

    /** A numeric axis. */
    static Axis numeric(String column, String title, List<Integer> values, BiFunction<Setup, Integer, Setup> apply,
                        Set<String> sets, int order) {
        return new Axis(column, title, values, (s, v) -> apply.apply(s, (Integer) v), v -> v, true, sets, order, false);
    }

    /** An axis of named values. */
    static <T> Axis named(String column, String title, List<T> values, BiFunction<Setup, T, Setup> apply,
                          Function<T, String> cell, Set<String> sets, int order) {
        @SuppressWarnings("unchecked")
        BiFunction<Setup, Object, Setup> a = (s, v) -> apply.apply(s, (T) v);
        @SuppressWarnings("unchecked")
        Function<Object, Object> c = v -> cell.apply((T) v);
        return new Axis(column, title, List.copyOf(values), a, c, false, sets, order, false);
    }

    /** This axis, marked as applying to fine-tuning only. */
    Axis forTraining() {
        return new Axis(column, title, values, apply, cell, numeric, sets, order, true);
    }

    /** The label of value {@code i}. */
    String label(int i) {
        return String.valueOf(cell.apply(values.get(i)));
    }

    /** Number of values. */
    int size() {
        return values.size();
    }

    /** from, 2·from, 4·from, … up to {@code to}, and {@code to} itself. */
    static List<Integer> doubling(String what, int min, int from, int to) {
        checkRange(what, min, from, to);
        List<Integer> out = new ArrayList<>();
        long v = from;
        while (v < to) {
            out.add((int) v);
            v = v == 0 ? 1 : v * 2;
        }
        out.add(to);
        return out;
    }

    /** from, from + step, … up to {@code to} (included when on the grid). */
    static List<Integer> linear(String what, int min, int from, int to, int step) {
        checkRange(what, min, from, to);
        if (step < 1) {
            throw new InvalidScenarioException(what + " step must be a positive integer, got " + step);
        }
        long n = ((long) to - from) / step + 1;
        if (n > MAX_VALUES) {
            throw new InvalidScenarioException(String.format("%s from %,d to %,d by %,d has %,d values; at most %,d",
                    what, from, to, step, n, MAX_VALUES));
        }
        List<Integer> out = new ArrayList<>((int) n);
        for (long v = from; v <= to; v += step) {
            out.add((int) v);
        }
        return out;
    }

    /** The values as given, each at least {@code min}. */
    static List<Integer> list(String what, int min, int... values) {
        if (values == null || values.length == 0) {
            throw new InvalidScenarioException(what + " needs at least one value");
        }
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            if (v < min) {
                throw new InvalidScenarioException(what + " values must be " + (min == 0 ? "0 or more" : "at least " + min)
                        + ", got " + v);
            }
            out.add(v);
        }
        return out;
    }

    private static void checkRange(String what, int min, int from, int to) {
        if (from < min) {
            throw new InvalidScenarioException(what + " must start at " + (min == 0 ? "0 or more" : "at least " + min)
                    + ", got " + from);
        }
        if (to < from) {
            throw new InvalidScenarioException(what + " range must end at or after its start, got " + from + " to " + to);
        }
    }
}
