package gpupoor.dsl;

import gpupoor.catalog.ErrorBand;
import gpupoor.validate.BandFit;
import gpupoor.validate.ErrorStats;
import gpupoor.validate.Metric;
import gpupoor.validate.RowResult;
import gpupoor.validate.ValidationRun;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The error bands against the measurements: held-out coverage per metric, and each row's predicted
 * range against its measured value. Every row's band is the one made without its own source
 * ({@link BandFit#heldOut}).
 */
final class ValidationBands {
    private static final Color INSIDE = new Color(0x55A868);
    private static final Color OUTSIDE = new Color(0xC44E52);

    private ValidationBands() {
    }

    /**
     * One row per method and metric: rows with a band, rows whose measured value lies inside it, that
     * share in %, rows whose held-out band is the wide default, the median half-width of the bands,
     * (p90 − p10) / 2 in %, and the median |error| in %.
     */
    static Table coverage(List<ValidationRun> runs, Function<ValidationRun, List<ErrorBand>> heldOut) {
        StringColumn method = StringColumn.create("method");
        StringColumn metric = StringColumn.create("metric");
        IntColumn rows = IntColumn.create("rows");
        IntColumn inside = IntColumn.create("inside band");
        DoubleColumn share = decimals(DoubleColumn.create("inside %"));
        IntColumn defaulted = IntColumn.create("default band");
        DoubleColumn halfWidth = decimals(DoubleColumn.create("median half-width %"));
        DoubleColumn error = decimals(DoubleColumn.create("median |err| %"));
        for (ValidationRun run : runs) {
            List<ErrorBand> held = heldOut.apply(run);
            for (BandFit.Coverage c : BandFit.coverage(run, held)) {
                List<Double> widths = new ArrayList<>();
                List<Double> errors = new ArrayList<>();
                for (int i = 0; i < held.size(); i++) {
                    RowResult r = run.results().get(i);
                    if (held.get(i) != null && r.metricId().equals(c.metric())) {
                        widths.add(100 * (held.get(i).p90() - held.get(i).p10()) / 2);
                        errors.add(Math.abs(r.errorPct()));
                    }
                }
                method.append(run.method());
                metric.append(c.metric());
                rows.append(c.rows());
                inside.append(c.inside());
                share.append(100 * c.share());
                defaulted.append(c.defaulted());
                halfWidth.append(ErrorStats.percentile(widths, 0.5));
                error.append(ErrorStats.percentile(errors, 0.5));
            }
        }
        return ResultTable.of("held-out coverage of the error bands", method, metric, rows, inside, share, defaulted,
                halfWidth, error);
    }

    /**
     * For one metric: each row's predicted range (the band made without its source) as a vertical
     * segment at its measured value, green when the measured value lies inside (the segment crosses
     * y = x), red when not, with the prediction as a dot; log-log.
     */
    static XYChart ranges(ValidationRun run, List<ErrorBand> held, Metric metric) {
        XYChart chart = new XYChartBuilder().width(640).height(480)
                .title(run.method() + ": predicted range vs measured, " + metric.id() + " (" + metric.unit() + ")")
                .xAxisTitle("measured").yAxisTitle("predicted: likely range of the measured value").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(4);
        List<double[]> in = new ArrayList<>();
        List<double[]> out = new ArrayList<>();
        List<double[]> dots = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < held.size(); i++) {
            RowResult r = run.results().get(i);
            ErrorBand b = held.get(i);
            if (b == null || r.metric() != metric || !(r.measured() > 0)) {
                continue;
            }
            double low = b.low(r.predicted());
            double high = b.high(r.predicted());
            (BandFit.inside(r, b) ? in : out).add(new double[] {r.measured(), low, high});
            dots.add(new double[] {r.measured(), r.predicted()});
            lo = Math.min(lo, Math.min(r.measured(), low));
            hi = Math.max(hi, Math.max(r.measured(), high));
        }
        if (dots.isEmpty()) {
            chart.setTitle(chart.getTitle() + " (no predicted rows)");
            lo = 1;
            hi = 10;
        }
        XYSeries diagonal = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.GRAY);
        segments(chart, "inside the band (" + in.size() + ")", in, INSIDE);
        segments(chart, "outside (" + out.size() + ")", out, OUTSIDE);
        if (!dots.isEmpty()) {
            XYSeries predicted = chart.addSeries("predicted", dots.stream().mapToDouble(p -> p[0]).toArray(),
                    dots.stream().mapToDouble(p -> p[1]).toArray());
            predicted.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            predicted.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(Color.DARK_GRAY);
        }
        return chart;
    }

    /** Vertical segments (x, low)–(x, high) as one line series broken by NaN gaps. */
    private static void segments(XYChart chart, String name, List<double[]> rows, Color color) {
        if (rows.isEmpty()) {
            return;
        }
        double[] x = new double[3 * rows.size()];
        double[] y = new double[3 * rows.size()];
        for (int j = 0; j < rows.size(); j++) {
            double[] r = rows.get(j);
            x[3 * j] = r[0];
            y[3 * j] = r[1];
            x[3 * j + 1] = r[0];
            y[3 * j + 1] = r[2];
            x[3 * j + 2] = r[0];
            y[3 * j + 2] = Double.NaN;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(2f);
    }

    private static DoubleColumn decimals(DoubleColumn c) {
        c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        return c;
    }
}
