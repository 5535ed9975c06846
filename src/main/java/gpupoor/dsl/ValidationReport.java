package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Names;
import gpupoor.catalog.ErrorBand;
import gpupoor.validate.BandFit;
import gpupoor.validate.Dimension;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.Metric;
import gpupoor.validate.Status;
import gpupoor.validate.ValidationRun;
import gpupoor.validate.Validator;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Predictions of one or more methods against a measurements file, side by side: the per-row
 * table, the summary tables and the plots. In a notebook it shows the summary per metric and,
 * for every method, its predicted-vs-measured plot and its error distribution.
 */
public final class ValidationReport implements Displayable {
    private final List<ValidationRun> runs;
    private final Map<String, List<ErrorBand>> heldOut = new HashMap<>();

    /** A report of runs over the same file (one per method). */
    public ValidationReport(List<ValidationRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a validation report needs at least one run");
        }
        this.runs = List.copyOf(runs);
    }

    /** The runs, one per method. */
    public List<ValidationRun> runs() {
        return runs;
    }

    /**
     * The run of one method.
     *
     * @throws InvalidScenarioException naming the methods of this report when it has no such run
     */
    public ValidationRun run(Method method) {
        List<String> ids = runs.stream().map(ValidationRun::method).toList();
        return runs.stream().filter(r -> r.method().equals(method.id())).findFirst().orElseThrow(() ->
                new InvalidScenarioException("this report has no run of method '" + method.id() + "'; it has: "
                        + String.join(", ", ids)));
    }

    /**
     * One row per measurement: what was measured, then for each method its prediction, error %,
     * status and reason.
     */
    public Table rows() {
        return ValidationTables.rows(runs);
    }

    /** The summary per metric, methods side by side: rows, predicted, median and p90 |error %|, bias, fits right. */
    public Table summary() {
        return ValidationTables.summary(runs, Dimension.METRIC);
    }

    /**
     * The summary grouped by the named dimensions, e.g. {@code summary("metric", "source")}:
     * {@code metric}, {@code framework}, {@code backend}, {@code source}, {@code model}, {@code hardware}.
     *
     * @throws InvalidScenarioException naming the accepted dimensions
     */
    public Table summary(String... by) {
        Dimension[] dims = new Dimension[by.length];
        List<String> names = Arrays.stream(Dimension.values()).map(Dimension::column).toList();
        for (int i = 0; i < by.length; i++) {
            String name = by[i] == null ? "" : by[i].trim().toLowerCase(Locale.ROOT);
            if (!names.contains(name)) {
                throw new InvalidScenarioException("cannot group by '" + by[i] + "'; accepted: "
                        + String.join(", ", names) + Names.didYouMean(name, names));
            }
            dims[i] = Dimension.valueOf(name.toUpperCase(Locale.ROOT));
        }
        return ValidationTables.summary(runs, dims);
    }

    /** Predicted against measured for one method, every metric (log-log, y = x, a colour per framework). */
    public XYChart scatter(Method method) {
        return ValidationCharts.scatter(run(method), null);
    }

    /**
     * Predicted against measured for one method and one metric, e.g. {@code scatter(DEFAULT, "decode_tok_s")}.
     *
     * @throws InvalidScenarioException for an unknown metric id
     */
    public XYChart scatter(Method method, String metric) {
        return ValidationCharts.scatter(run(method), Metric.parse(metric));
    }

    /** One method's error distribution per metric. */
    public CategoryChart errors(Method method) {
        return ValidationCharts.errors(run(method));
    }

    /**
     * How well the error bands hold on rows they were not made from: per method and metric, the rows
     * whose measured value lies inside the band made without their own source (leave one source out),
     * the rows that got the wide default, and the bands' median half-width beside the median |error|.
     * Example: {@code validate(DEFAULT).coverage()}.
     *
     * @throws InvalidScenarioException for a method without bundled measurements to make bands from
     */
    public Table coverage() {
        return ValidationBands.coverage(runs, this::heldOut);
    }

    /**
     * Each row's predicted range against its measured value for one method and metric, e.g.
     * {@code ranges(DEFAULT, "decode_tok_s")}: a segment from the low to the high end of the range
     * the prediction puts the measured value in (its band made without the row's own source), green
     * when it crosses y = x (the measured value is inside), red when not.
     *
     * @throws InvalidScenarioException for an unknown metric id, or a method this report has no run of
     */
    public XYChart ranges(Method method, String metric) {
        ValidationRun run = run(method);
        return ValidationBands.ranges(run, heldOut(run), Metric.parse(metric));
    }

    /** Each row's band made without its own source, from the same method's residuals on the bundled measurements. */
    private List<ErrorBand> heldOut(ValidationRun run) {
        return heldOut.computeIfAbsent(run.method(), id -> {
            Method method;
            try {
                method = Methods.parse(id);
            } catch (InvalidScenarioException e) {
                throw new InvalidScenarioException("no error bands for method '" + id + "': bands are made from the "
                        + "bundled measurements of the default and gpu-poor methods");
            }
            boolean bundled = run.data().equals(MeasuredData.BUNDLED);
            return BandFit.heldOut(run, bundled ? run : Validator.run(method));
        });
    }

    /** Every method's scatter plot and error distribution, methods side by side. */
    public List<Chart<?, ?>> charts() {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (ValidationRun run : runs) {
            charts.add(ValidationCharts.scatter(run, null));
        }
        for (ValidationRun run : runs) {
            charts.add(ValidationCharts.errors(run));
        }
        return charts;
    }

    private List<String> headlines() {
        List<String> lines = new ArrayList<>();
        for (ValidationRun run : runs) {
            lines.add("method " + run.method() + " on " + run.data() + ": " + run.results().size() + " rows, "
                    + run.count(Status.OK) + " predicted, " + run.count(Status.EXCLUDED) + " excluded, "
                    + run.count(Status.UNSUPPORTED) + " unsupported, " + run.count(Status.INVALID) + " invalid");
            run.warnings().forEach(w -> lines.add("warning: " + w));
        }
        return lines;
    }

    @Override
    public String toHtml() {
        StringBuilder html = new StringBuilder("<div class=\"gpupoor-validation\">");
        for (String line : headlines()) {
            html.append("<p>").append(Html.escape(line)).append("</p>");
        }
        html.append(Html.table(summary(), Integer.MAX_VALUE));
        html.append("<div style=\"display:grid;grid-template-columns:repeat(").append(runs.size())
                .append(",minmax(0,1fr));gap:8px\">");
        for (Chart<?, ?> chart : charts()) {
            html.append(Html.image(chart));
        }
        return html.append("</div></div>").toString();
    }

    @Override
    public String toText() {
        return String.join("\n", headlines()) + "\n" + summary().printAll();
    }

    /** The plain-text rendering (as {@link #toText()}), which jshell prints. */
    @Override
    public String toString() {
        return toText();
    }
}
