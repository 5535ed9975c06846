package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A limit found at every point of a sweep: {@code sweep(s).quants(FP16, Q8_0, Q4_K_M).limit(MAX_CONTEXT)}
 * (the longest context per quantization) or {@code sweep(s).gpus(...).limit(FEWEST_GPUS)} (which
 * GPUs hold a model, and how many of each). Shows as a table and a chart.
 */
public final class LimitSweep implements Displayable {

    /** Limit sweeps of at least this many points print their progress. */
    static final int PROGRESS_FROM = 5_000;
    /** Points per chunk of parallel work (a limit is a search of many estimates). */
    private static final int CHUNK = 8;

    private final Grid grid;
    private final Limit limit;
    private final FitResult[] results;
    private final String[] errors;

    private LimitSweep(Grid grid, Limit limit) {
        this.grid = grid;
        this.limit = limit;
        this.results = new FitResult[grid.size];
        this.errors = new String[grid.size];
    }

    /** Searches the limit at every point on every core, printing progress for large sweeps and stopping on interrupt. */
    static LimitSweep compute(Grid grid, Limit limit) {
        LimitSweep s = new LimitSweep(grid, limit);
        Progress progress = new Progress("limit sweep", grid.size, grid.size >= PROGRESS_FROM);
        Parallel.run(grid.size, CHUNK, progress, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                try {
                    s.results[i] = new Fits(grid.setup(i)).limit(limit);
                } catch (InvalidScenarioException e) {
                    s.errors[i] = Setup.message(e);
                }
            }
        });
        return s;
    }

    /** The limit searched. */
    public Limit limit() {
        return limit;
    }

    /** The result at each point, in table order; null where the point could not be searched (see the table's error column). */
    public List<FitResult> results() {
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    /**
     * One row per point: the swept parameters, the limit's value, the memory needed at it, the
     * capacity, the memory one step beyond, and an error column when a point failed.
     */
    public Table table() {
        int n = grid.size;
        List<Column<?>> cols = new ArrayList<>();
        for (int k = 0; k < grid.axes.size(); k++) {
            Axis a = grid.axes.get(k);
            StringColumn names = StringColumn.create(a.column(), n);
            IntColumn numbers = IntColumn.create(a.column(), n);
            for (int i = 0; i < n; i++) {
                Object v = a.values().get(grid.valueIndex(i, k));
                if (a.numeric()) {
                    numbers.set(i, (Integer) v);
                } else {
                    names.set(i, a.label(grid.valueIndex(i, k)));
                }
            }
            numbers.setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
            cols.add(a.numeric() ? numbers : names);
        }
        StringColumn quants = StringColumn.create(limit.column(), n);
        IntColumn values = IntColumn.create(limit.column(), n);
        values.setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
        DoubleColumn needed = DoubleColumn.create("needed_mib", n);
        DoubleColumn capacity = DoubleColumn.create("capacity_mib", n);
        DoubleColumn next = DoubleColumn.create("next_step_mib", n);
        StringColumn error = StringColumn.create("error", n);
        for (int i = 0; i < n; i++) {
            needed.setMissing(i);
            capacity.setMissing(i);
            next.setMissing(i);
            if (results[i] == null) {
                error.set(i, errors[i]);
                continue;
            }
            Fit.Result<?> r = results[i].result();
            if (r.value() instanceof Quant q) {
                quants.set(i, Setup.quantLabel(q));
            } else if (r.value() instanceof Integer v) {
                values.set(i, v);
            } else if (limit == Limit.BEST_QUANT) {
                quants.set(i, "none fits");
            }
            if (r.at() != null) {
                needed.set(i, r.at().neededMiB());
            }
            Fit.Check shown = r.at() != null ? r.at() : r.beyond();
            if (shown != null) {
                capacity.set(i, shown.capacityMiB());
            }
            if (r.beyond() != null) {
                next.set(i, r.beyond().neededMiB());
            }
        }
        cols.add(limit == Limit.BEST_QUANT ? quants : values);
        for (DoubleColumn c : List.of(needed, capacity, next)) {
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
            cols.add(c);
        }
        if (Arrays.stream(errors).anyMatch(e -> e != null)) {
            cols.add(error);
        }
        return ResultTable.of(limit.title() + " · " + grid.base.toText(), cols);
    }

    /**
     * The limit's value per point as curves (over a swept number) or bars; nothing fitting counts
     * as 0. For the best quantization the value plotted is its bits per weight.
     */
    public Plot plot() {
        SweepPlots.Layout l = SweepPlots.Layout.of(grid);
        String title = (limit.title().substring(0, 1).toUpperCase() + limit.title().substring(1)) + " per "
                + l.xTitle(grid) + SweepPlots.context(grid);
        return SweepPlots.values(grid, l, title, limit.axisTitle(), this::plotted, i -> errors[i], this::table, null);
    }

    private double plotted(int i) {
        if (results[i] == null) {
            return Double.NaN;
        }
        Object v = results[i].value();
        if (v instanceof Quant q) {
            return q.nominalBits();
        }
        return v == null ? 0 : (Integer) v;
    }

    @Override
    public String toText() {
        return table().print(40);
    }

    @Override
    public String toHtml() {
        return Html.row(Html.table(table(), 40), Html.image(plot().chart()));
    }

    @Override
    public String toString() {
        return toText();
    }
}
