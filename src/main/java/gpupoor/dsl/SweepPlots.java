package gpupoor.dsl;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.Uncertainty;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

/**
 * Charts of sweeps. The x axis is the first swept number (context, batch, ...), drawn as curves,
 * log-scaled when it spans a factor of 32 or more (the y axis of curves when they span 30 or
 * more); without one, the first swept name (GPU, quantization, ...) as bars. Every other swept parameter makes one curve or bar per value.
 * Memory charts add the devices' capacity; a single memory curve is stacked by component. Curves
 * of a metric with error bands are drawn inside the shaded range their measured values likely lie
 * in (see {@code catalog/calibration.md}).
 */
final class SweepPlots {
    private SweepPlots() {
    }

    /** At most this many curves or bar groups in one chart. */
    static final int MAX_SERIES = 24;

    /** Curves with more points than this are drawn without markers. */
    private static final int MARKERS_UP_TO = 40;

    /**
     * Whether the numeric x axis spans a factor of 32 or more: then it is drawn in log2 space
     * (doubling ranges fall on even steps) with ticks labelled in the axis' own units.
     */
    private static boolean log2(Grid g, Layout l) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Object v : g.axes.get(l.x).values()) {
            min = Math.min(min, (Integer) v);
            max = Math.max(max, (Integer) v);
        }
        return min > 0 && max / min >= 32;
    }

    /** The plotted x of point {@code i}. */
    private static double x(Grid g, Layout l, boolean log2, int i) {
        double x = (Integer) g.axes.get(l.x).values().get(g.valueIndex(i, l.x));
        return log2 ? Math.log(x) / Math.log(2) : x;
    }

    /** Labels log2-space ticks with powers of two: 512, 1k, 32k, 1M; other ticks stay blank. */
    private static void labelPowersOfTwo(XYChart c) {
        c.setCustomXAxisTickLabelsFormatter(v -> {
            if (Math.abs(v - Math.rint(v)) > 1e-9 || v < 0) {
                return "";
            }
            long n = 1L << Math.round(v);
            if (n >= 1 << 20 && n % (1 << 20) == 0) {
                return (n >> 20) + "M";
            }
            return n >= 1024 && n % 1024 == 0 ? (n >> 10) + "k" : Long.toString(n);
        });
    }

    /** A chart with a numeric x axis, log2-scaled when the range calls for it. */
    private static XYChart xyChart(Grid g, Layout l, String title, String yTitle) {
        XYChart c = Charts.xy(title, g.axes.get(l.x).title() + (log2(g, l) ? ", log scale" : ""), yTitle);
        if (log2(g, l)) {
            labelPowersOfTwo(c);
        }
        return c;
    }

    /** A sweep's metric. */
    static Plot metric(SweepPoints p, Metric metric, Supplier<Table> data) {
        Grid g = p.grid;
        Layout l = Layout.of(g);
        String title = metric.title() + " vs " + l.xTitle(g) + context(g);
        IntToDoubleFunction y = i -> p.value(metric, i);
        IntFunction<Uncertainty.Range> range = i -> {
            ErrorBand b = p.band(metric, i);
            return b == null ? null : Uncertainty.Range.of(metric.figure(), p.value(metric, i), b);
        };
        if (metric != Metric.MEMORY) {
            return values(g, l, title, metric.axisTitle(), y, p::errorAt, data, range);
        }
        if (l.x >= 0) {
            XYChart c = xyChart(g, l, title, metric.axisTitle());
            if (l.series.length == 0) {
                stackedAreas(c, p, l, range);
            } else {
                lines(c, g, l, y, p::errorAt, range);
            }
            capacityLines(c, p, l);
            return new Plot(c, data);
        }
        return memoryBars(p, l, title, data);
    }

    /** A chart of any per-point value: curves over a numeric x (shaded by {@code range} where not null), else bars. */
    static Plot values(Grid g, Layout l, String title, String yTitle, IntToDoubleFunction y,
                       IntFunction<String> errorAt, Supplier<Table> data, IntFunction<Uncertainty.Range> range) {
        if (l.x >= 0) {
            XYChart c = xyChart(g, l, title, yTitle);
            lines(c, g, l, y, errorAt, range);
            return new Plot(c, data);
        }
        CategoryChart c = Charts.category(title, g.axes.get(l.category).title(), yTitle, Charts.WIDTH, Charts.HEIGHT);
        Bars bars = Bars.of(g, l, y, errorAt);
        bars.series.forEach((name, values) -> c.addSeries(name.isEmpty() ? yTitle : name, bars.categories, values));
        c.getStyler().setLegendVisible(bars.series.size() > 1);
        return new Plot(c, data);
    }

    // ------------------------------------------------------------------ curves

    /** The legend entry of the shaded ranges. */
    static final String LIKELY = "likely range (8 in 10)";

    private static void lines(XYChart c, Grid g, Layout l, IntToDoubleFunction y, IntFunction<String> errorAt,
                              IntFunction<Uncertainty.Range> range) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        int perSeries = g.axes.get(l.x).size();
        boolean log2 = log2(g, l);
        double minY = Double.POSITIVE_INFINITY;
        double maxY = 0;
        for (int i = 0; i < g.size; i++) {
            double v = y.applyAsDouble(i);
            if (Double.isNaN(v)) {
                continue;
            }
            String key = l.series.length == 0 ? "" : g.label(i, l.series);
            double[][] xy = series.computeIfAbsent(key, k -> new double[4][perSeries]);
            int n = counts.merge(key, 1, Integer::sum) - 1;
            xy[0][n] = x(g, l, log2, i);
            xy[1][n] = v;
            Uncertainty.Range r = range == null ? null : range.apply(i);
            xy[2][n] = r == null ? Double.NaN : r.low();
            xy[3][n] = r == null ? Double.NaN : r.high();
            minY = Math.min(minY, v);
            maxY = Math.max(maxY, v);
        }
        requireData(series.isEmpty(), g, errorAt);
        requireFewSeries(series.size());
        Color[] colors = c.getStyler().getSeriesColors();
        int k = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            String key = e.getKey();
            double[][] xy = e.getValue();
            int n = counts.get(key);
            Color color = colors[k++ % colors.length];
            shade(c, key.isEmpty() ? LIKELY : LIKELY + " · " + key, Arrays.copyOf(xy[0], n), Arrays.copyOf(xy[2], n),
                    Arrays.copyOf(xy[3], n), color, k == 1);
            XYSeries s = c.addSeries(key.isEmpty() ? c.getYAxisTitle() : key, Arrays.copyOf(xy[0], n), Arrays.copyOf(xy[1], n));
            s.setMarker(n > MARKERS_UP_TO ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
        c.getStyler().setYAxisLogarithmic(minY > 0 && maxY / minY >= 30);
        c.getStyler().setLegendVisible(!(series.size() == 1 && series.containsKey("")) || c.getSeriesMap().containsKey(LIKELY));
    }

    /**
     * The band between {@code low} and {@code high} over {@code x}, filled in a translucent {@code color}
     * (in the legend when {@code legend}); nothing when a point has no range.
     */
    private static void shade(XYChart c, String name, double[] x, double[] low, double[] high, Color color, boolean legend) {
        int n = x.length;
        for (int j = 0; j < n; j++) {
            if (Double.isNaN(low[j]) || Double.isNaN(high[j])) {
                return;
            }
        }
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int j = 0; j < n; j++) {
            px[j] = x[j];
            py[j] = high[j];
            px[2 * n - 1 - j] = x[j];
            py[2 * n - 1 - j] = low[j];
        }
        XYSeries band = c.addSeries(legend ? LIKELY : name, px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        Color fill = new Color(color.getRed(), color.getGreen(), color.getBlue(), 60);
        band.setFillColor(fill);
        band.setLineColor(fill);
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(legend);
    }

    private static void stackedAreas(XYChart c, SweepPoints p, Layout l, IntFunction<Uncertainty.Range> range) {
        Grid g = p.grid;
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < g.size; i++) {
            if (!Double.isNaN(p.total[i])) {
                points.add(i);
            }
        }
        requireData(points.isEmpty(), g, p::errorAt);
        boolean log2 = log2(g, l);
        double[] x = new double[points.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = x(g, l, log2, points.get(j));
        }
        Component[] parts = Component.values();
        double[][] top = new double[parts.length][x.length];
        for (int j = 0; j < x.length; j++) {
            double sum = 0;
            for (int k = 0; k < parts.length; k++) {
                sum += p.componentGiB(parts[k], points.get(j));
                top[k][j] = sum;
            }
        }
        // draw the top band first so each lower band paints over the one above: the visible bands stack
        for (int k = parts.length - 1; k >= 0; k--) {
            if (allEqual(top, k)) {
                continue;
            }
            XYSeries s = c.addSeries(parts[k].label(), x, top[k]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            s.setFillColor(parts[k].color());
            s.setLineColor(parts[k].color().darker());
            s.setMarker(SeriesMarkers.NONE);
        }
        double[] low = new double[x.length];
        double[] high = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            Uncertainty.Range r = range.apply(points.get(j));
            low[j] = r == null ? Double.NaN : r.low();
            high[j] = r == null ? Double.NaN : r.high();
        }
        shade(c, LIKELY, x, low, high, Color.DARK_GRAY, true);
        c.getStyler().setYAxisMin(0.0);
    }

    /** Whether band k adds nothing at any point. */
    private static boolean allEqual(double[][] top, int k) {
        for (int j = 0; j < top[k].length; j++) {
            if (top[k][j] != (k == 0 ? 0 : top[k - 1][j])) {
                return false;
            }
        }
        return true;
    }

    private static void capacityLines(XYChart c, SweepPoints p, Layout l) {
        Grid g = p.grid;
        Map<Double, String> capacities = capacities(p);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Object v : g.axes.get(l.x).values()) {
            lo = Math.min(lo, (Integer) v);
            hi = Math.max(hi, (Integer) v);
        }
        if (log2(g, l)) {
            lo = Math.log(lo) / Math.log(2);
            hi = Math.log(hi) / Math.log(2);
        }
        double[] ends = {lo, hi};
        capacities.forEach((mib, label) -> {
            XYSeries s = c.addSeries(label, ends, new double[] {mib / 1024, mib / 1024});
            s.setLineColor(Charts.CAPACITY);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        });
        if (!capacities.isEmpty()) {
            c.getStyler().setLegendVisible(true);
        }
    }

    /** The distinct known capacities (MiB) of the points, each labelled with its device. */
    private static Map<Double, String> capacities(SweepPoints p) {
        Map<Double, String> out = new LinkedHashMap<>();
        for (int i = 0; i < p.size && out.size() <= MAX_SERIES; i++) {
            double cap = p.capacity[i];
            if (!Double.isNaN(cap) && !out.containsKey(cap)) {
                Device d = p.grid.setup(i).device();
                out.put(cap, d.label() + ": " + Format.number(cap / 1024) + " GiB");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ bars

    private static Plot memoryBars(SweepPoints p, Layout l, String title, Supplier<Table> data) {
        Grid g = p.grid;
        boolean byDevice = g.axes.get(l.category).sets().contains("device");
        CategoryChart c = Charts.category(title, g.axes.get(l.category).title(), Metric.MEMORY.axisTitle(),
                Charts.WIDTH, Charts.HEIGHT);
        Map<Double, String> capacities = capacities(p);
        if (l.series.length == 0 && !byDevice) {
            c.getStyler().setStacked(true);
            Bars total = Bars.of(g, l, i -> p.value(Metric.MEMORY, i), p::errorAt);
            List<String> categories = new ArrayList<>(total.categories);
            String single = capacities.size() == 1 ? capacities.values().iterator().next() : null;
            if (single != null) {
                categories.add(single);
            }
            for (Component part : Component.values()) {
                Bars b = Bars.of(g, l, i -> p.componentGiB(part, i), p::errorAt);
                List<Double> v = new ArrayList<>(b.series.values().iterator().next());
                if (v.stream().allMatch(x -> x == 0)) {
                    continue;
                }
                if (single != null) {
                    v.add(0.0);
                }
                c.addSeries(part.label(), categories, v).setFillColor(part.color());
            }
            if (single != null) {
                List<Double> v = new ArrayList<>();
                total.categories.forEach(x -> v.add(0.0));
                v.add(capacities.keySet().iterator().next() / 1024);
                c.addSeries("device memory", categories, v).setFillColor(Charts.CAPACITY);
            }
            return new Plot(c, data);
        }
        Bars b = Bars.of(g, l, i -> p.value(Metric.MEMORY, i), p::errorAt);
        b.series.forEach((name, values) -> c.addSeries(name.isEmpty() ? "memory needed" : name, b.categories, values));
        if (byDevice) {
            Bars cap = Bars.of(g, new Layout(-1, l.category, new int[0]), i -> p.capacity[i] / 1024, i -> null);
            c.addSeries("device memory", cap.categories, cap.series.values().iterator().next())
                    .setFillColor(Charts.CAPACITY);
        }
        return new Plot(c, data);
    }

    /** Bar values: one list per series, aligned with the categories (0 where a point has no value). */
    private record Bars(List<String> categories, Map<String, List<Double>> series) {
        static Bars of(Grid g, Layout l, IntToDoubleFunction y, IntFunction<String> errorAt) {
            Axis cat = g.axes.get(l.category);
            List<String> categories = new ArrayList<>();
            for (int j = 0; j < cat.size(); j++) {
                categories.add(cat.label(j));
            }
            Map<String, List<Double>> series = new LinkedHashMap<>();
            boolean any = false;
            for (int i = 0; i < g.size; i++) {
                String key = l.series.length == 0 ? "" : g.label(i, l.series);
                List<Double> values = series.computeIfAbsent(key, k -> {
                    List<Double> zeros = new ArrayList<>();
                    categories.forEach(x -> zeros.add(0.0));
                    return zeros;
                });
                double v = y.applyAsDouble(i);
                if (!Double.isNaN(v)) {
                    values.set(g.valueIndex(i, l.category), v);
                    any = true;
                }
            }
            requireData(!any, g, errorAt);
            requireFewSeries(series.size());
            return new Bars(categories, series);
        }
    }

    // ------------------------------------------------------------------ layout

    /**
     * Which axis goes where.
     *
     * @param x        the numeric x axis, or -1 for a bar chart
     * @param category the bar chart's category axis (when x is -1)
     * @param series   the axes whose values make separate curves or bars
     */
    record Layout(int x, int category, int[] series) {
        static Layout of(Grid g) {
            if (g.axes.isEmpty()) {
                throw new InvalidScenarioException("a plot needs a swept parameter: add e.g. .context(512, 32768), "
                        + ".batch(1, 64) or .quants(FP16, Q8_0, Q4_K_M) to the sweep");
            }
            int x = -1;
            for (int k = 0; k < g.axes.size(); k++) {
                if (g.axes.get(k).numeric() && g.axes.get(k).size() > 1) {
                    x = k;
                    break;
                }
            }
            int category = 0;
            if (x < 0) {
                for (int k = 0; k < g.axes.size(); k++) {
                    if (g.axes.get(k).size() > 1) {
                        category = k;
                        break;
                    }
                }
            }
            int main = x >= 0 ? x : category;
            List<Integer> series = new ArrayList<>();
            for (int k = 0; k < g.axes.size(); k++) {
                if (k != main && g.axes.get(k).size() > 1) {
                    series.add(k);
                }
            }
            return new Layout(x, category, series.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The x axis' name, e.g. {@code context}. */
        String xTitle(Grid g) {
            String t = g.axes.get(x >= 0 ? x : category).title();
            int paren = t.indexOf(" (");
            return paren > 0 ? t.substring(0, paren) : t;
        }
    }

    /** " · " and what the sweep holds fixed: the model, storage and runtime, the device. */
    static String context(Grid g) {
        Setup b = g.base;
        java.util.Set<String> swept = new java.util.HashSet<>();
        g.axes.forEach(a -> swept.addAll(a.sets()));
        List<String> parts = new ArrayList<>();
        if (!swept.contains("model")) {
            parts.add(shortName(b.model().id()));
        }
        if (!swept.contains("quant") && !swept.contains("mode")) {
            parts.add(b.storageLabel());
        }
        if (!swept.contains("framework") && !b.isTraining()) {
            parts.add(b.framework().id());
        }
        if (!swept.contains("device") && b.device() != null) {
            parts.add(b.device().cell());
        }
        return parts.isEmpty() ? "" : " · " + String.join(" · ", parts);
    }

    /** A model id without its organisation: {@code Llama-3.1-8B}. */
    static String shortName(String modelId) {
        return modelId.substring(modelId.lastIndexOf('/') + 1);
    }

    private static void requireData(boolean empty, Grid g, IntFunction<String> errorAt) {
        if (!empty) {
            return;
        }
        String first = null;
        for (int i = 0; i < g.size && first == null; i++) {
            first = errorAt.apply(i);
        }
        throw new InvalidScenarioException("nothing to plot: no point of the sweep has this value"
                + (first != null ? "; e.g. " + first : " (speed needs a device and inference; time per iteration "
                + "needs a GPU and fine-tuning)"));
    }

    private static void requireFewSeries(int n) {
        if (n > MAX_SERIES) {
            throw new InvalidScenarioException(String.format(Locale.ROOT, "too many curves to plot (%d, at most %d): "
                    + "sweep fewer values of the parameters besides the x axis, or use table()", n, MAX_SERIES));
        }
    }
}
