package gpupoor.dsl;

import gpupoor.validate.Metric;
import gpupoor.validate.RowResult;
import gpupoor.validate.ValidationRun;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** XChart plots of a validation run: predicted against measured, and the error distribution per metric. */
public final class ValidationCharts {
    /** Upper bounds of the signed-error buckets of {@link #errors(ValidationRun)}, in %. */
    private static final double[] BUCKET_TOPS = {-50, -25, -10, 10, 25, 50, 100};
    /** The buckets' labels: the last one is open-ended. */
    static final List<String> BUCKETS = List.of("< -50", "-50..-25", "-25..-10", "-10..10", "10..25", "25..50",
            "50..100", "> 100");

    private ValidationCharts() {
    }

    /**
     * Predicted against measured, both axes logarithmic, one colour per framework (as measured),
     * with the line y = x: points above it are over-predictions. Only predicted value rows (not
     * {@code fits_in_memory}); {@code metric} null for all metrics together (units differ, but each
     * point compares like with like).
     */
    public static XYChart scatter(ValidationRun run, Metric metric) {
        String what = metric == null ? "all metrics" : metric.id() + " (" + metric.unit() + ")";
        XYChart chart = new XYChartBuilder().width(640).height(480)
                .title(run.method() + ": predicted vs measured, " + what)
                .xAxisTitle("measured").yAxisTitle("predicted").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(6);
        Map<String, List<double[]>> byFramework = new TreeMap<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (RowResult r : run.results()) {
            if (!r.isOk() || r.metric().isClassification() || (metric != null && r.metric() != metric)
                    || !(r.measured() > 0) || !(r.predicted() > 0)) {
                continue;
            }
            byFramework.computeIfAbsent(r.measurement().frameworkId(), k -> new ArrayList<>())
                    .add(new double[] {r.measured(), r.predicted()});
            lo = Math.min(lo, Math.min(r.measured(), r.predicted()));
            hi = Math.max(hi, Math.max(r.measured(), r.predicted()));
        }
        if (byFramework.isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no predicted rows)");
            lo = 1;
            hi = 10;
        }
        XYSeries diagonal = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        byFramework.forEach((framework, points) -> chart.addSeries(framework + " (" + points.size() + ")",
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
        return chart;
    }

    /**
     * The distribution of the signed error per metric: for each metric, the share of its predicted
     * rows whose error falls in each bucket ({@code < -50%}, ..., {@code -10..10%}, ..., {@code > 100%}).
     */
    public static CategoryChart errors(ValidationRun run) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(480)
                .title(run.method() + ": error distribution per metric")
                .xAxisTitle("error % = 100 (predicted - measured) / measured").yAxisTitle("share of predicted rows (%)")
                .build();
        chart.getStyler().setXAxisLabelRotation(30).setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<Metric, int[]> counts = new TreeMap<>();
        for (RowResult r : run.results()) {
            if (r.isOk() && !r.metric().isClassification()) {
                counts.computeIfAbsent(r.metric(), k -> new int[BUCKETS.size()])[bucket(r.errorPct())]++;
            }
        }
        if (counts.isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no predicted rows)");
            chart.addSeries("none", BUCKETS, BUCKETS.stream().map(b -> 0).toList());
        }
        counts.forEach((metric, c) -> {
            int n = Arrays.stream(c).sum();
            List<Double> shares = Arrays.stream(c).mapToObj(k -> 100.0 * k / n).toList();
            chart.addSeries(metric.id() + " (" + n + ")", BUCKETS, shares);
        });
        return chart;
    }

    /** The bucket index of a signed error %. */
    static int bucket(double errorPct) {
        for (int i = 0; i < BUCKET_TOPS.length; i++) {
            boolean below = i < 3 ? errorPct < BUCKET_TOPS[i] : errorPct <= BUCKET_TOPS[i];
            if (below) {
                return i;
            }
        }
        return BUCKET_TOPS.length;
    }
}
