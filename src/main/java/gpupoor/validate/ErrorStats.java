package gpupoor.validate;

import java.util.Arrays;
import java.util.List;

/** The statistics of a summary: percentiles (linear interpolation between ranks) and the mean. */
public final class ErrorStats {
    private ErrorStats() {
    }

    /**
     * The q-quantile (0 &le; q &le; 1) with linear interpolation between the closest ranks (as
     * numpy's default and Excel's PERCENTILE.INC): position q·(n−1) in the sorted values. Null for
     * no values.
     */
    public static Double percentile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return percentileOfSorted(v, q);
    }

    /** {@link #percentile} of values already sorted ascending. Null for no values. */
    public static Double percentileOfSorted(double[] v, double q) {
        if (v.length == 0) {
            return null;
        }
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    /** The arithmetic mean, null for no values. */
    public static Double mean(List<Double> values) {
        return mean(values.stream().mapToDouble(Double::doubleValue).toArray(), values.size());
    }

    /** The arithmetic mean of the first {@code n} values, null for none. */
    public static Double mean(double[] values, int n) {
        return n == 0 ? null : Arrays.stream(values, 0, n).average().orElseThrow();
    }
}
