package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.Speed;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One setup estimated by several methods side by side: {@code compare(s, GPU_POOR, DEFAULT)}
 * shows the original calculator's numbers beside ours, as a table of every quantity and a chart
 * of the memory breakdowns.
 */
public final class Comparison implements Displayable {

    private final Setup setup;
    private final List<Method> methods;
    private final List<Estimate> estimates = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    Comparison(Setup setup, List<Method> methods) {
        if (methods.isEmpty()) {
            throw new InvalidScenarioException("compare(...) needs at least one method: GPU_POOR, DEFAULT");
        }
        this.setup = setup;
        this.methods = List.copyOf(methods);
        for (Method m : methods) {
            try {
                estimates.add(m.estimate(setup.scenario()));
                errors.add(null);
            } catch (InvalidScenarioException e) {
                estimates.add(null);
                errors.add(Setup.message(e));
            }
        }
    }

    /** The methods compared, in order. */
    public List<Method> methods() {
        return methods;
    }

    /** The report of one of the methods. */
    public Report report(Method method) {
        return setup.using(method).estimate();
    }

    /**
     * One row per quantity (memory parts in MiB, tokens/s, ms/token, prompt s, ms/iteration, GPUs
     * needed), one column per method; a method that rejects the setup gets an empty column and its
     * message in the table's name.
     */
    public Table table() {
        List<Row> rows = List.of(
                new Row("total (MiB)", e -> memory(e, MemoryBreakdown::totalMiB)),
                new Row("weights (MiB)", e -> memory(e, MemoryBreakdown::weightsMiB)),
                new Row("KV cache (MiB)", e -> memory(e, MemoryBreakdown::kvCacheMiB)),
                new Row("activations (MiB)", e -> memory(e, MemoryBreakdown::activationMiB)),
                new Row("gradients + optimizer (MiB)", e -> memory(e, MemoryBreakdown::gradOptimizerMiB)),
                new Row("overhead (MiB)", e -> memory(e, MemoryBreakdown::overheadMiB)),
                new Row("tokens/s per sequence", e -> speed(e, Speed::tokensPerSecond)),
                new Row("ms per token", e -> speed(e, Speed::msPerToken)),
                new Row("prompt (s)", e -> speed(e, Speed::promptSeconds)),
                new Row("ms per iteration", e -> e.training() == null ? Double.NaN : e.training().msPerIteration()),
                new Row("GPUs needed", e -> e.gpusNeeded() == null ? Double.NaN : e.gpusNeeded()));
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Row r : rows) {
            double[] v = new double[methods.size()];
            boolean any = false;
            for (int j = 0; j < v.length; j++) {
                v[j] = estimates.get(j) == null ? Double.NaN : r.value().applyAsDouble(estimates.get(j));
                any |= !Double.isNaN(v[j]);
            }
            if (any) {
                names.add(r.name());
                values.add(v);
            }
        }
        Table t = ResultTable.of(title(), StringColumn.create("quantity", names));
        for (int j = 0; j < methods.size(); j++) {
            DoubleColumn c = DoubleColumn.create(methods.get(j).id(), values.size());
            for (int r = 0; r < values.size(); r++) {
                c.set(r, values.get(r)[j]);
            }
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
            t.addColumns(c);
        }
        return t;
    }

    /** The memory breakdown of each method as stacked bars, in GiB. */
    public Plot chart() {
        CategoryChart c = Charts.category("Memory by method · " + SweepPlots.shortName(setup.model().id()), "calculation method",
                "memory (GiB)", 560, 420);
        c.getStyler().setStacked(true);
        List<String> ids = new ArrayList<>();
        List<MemoryBreakdown> parts = new ArrayList<>();
        for (int j = 0; j < methods.size(); j++) {
            Estimate e = estimates.get(j);
            if (e != null && e.memory() != null) {
                ids.add(methods.get(j).id());
                parts.add(e.memory());
            }
        }
        if (ids.isEmpty()) {
            throw new InvalidScenarioException("no method gives a memory breakdown for this setup: "
                    + String.join("; ", errors.stream().filter(m -> m != null).toList()));
        }
        for (Component part : Component.values()) {
            List<Double> v = parts.stream().map(m -> part.mib(m) / 1024).toList();
            if (v.stream().anyMatch(x -> x != 0)) {
                c.addSeries(part.label(), ids, v).setFillColor(part.color());
            }
        }
        return new Plot(c, this::table);
    }

    private String title() {
        StringBuilder sb = new StringBuilder("compared · ").append(setup.toText());
        for (int j = 0; j < methods.size(); j++) {
            if (errors.get(j) != null) {
                sb.append(" · ").append(methods.get(j).id()).append(": ").append(errors.get(j));
            }
        }
        return sb.toString();
    }

    private static double memory(Estimate e, ToDoubleFunction<MemoryBreakdown> part) {
        return e.memory() == null ? Double.NaN : part.applyAsDouble(e.memory());
    }

    private static double speed(Estimate e, ToDoubleFunction<Speed> part) {
        return e.speed() == null ? Double.NaN : part.applyAsDouble(e.speed());
    }

    private record Row(String name, ToDoubleFunction<Estimate> value) {
    }

    @Override
    public String toText() {
        return table().print(20);
    }

    @Override
    public String toHtml() {
        String chart;
        try {
            chart = Html.image(chart().chart());
        } catch (InvalidScenarioException e) {
            chart = "";
        }
        return Html.row(Html.table(table(), 20), chart);
    }

    @Override
    public String toString() {
        return toText();
    }
}
