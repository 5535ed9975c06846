package gpupoor.dsl;

import gpupoor.validate.Dimension;
import gpupoor.validate.Measurement;
import gpupoor.validate.RowResult;
import gpupoor.validate.SummaryRow;
import gpupoor.validate.ValidationRun;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.List;

/** Validation results as tablesaw tables: one row per measurement, or one per summary group. */
public final class ValidationTables {
    private ValidationTables() {
    }

    /**
     * One row per measurement: its id, source, metric, model, device, framework, backend, quant and
     * measured value, then for each run {@code <method> predicted}, {@code <method> error %},
     * {@code <method> status} and {@code <method> reason}. The runs must cover the same rows.
     */
    public static Table rows(List<ValidationRun> runs) {
        List<RowResult> first = runs.get(0).results();
        StringColumn id = StringColumn.create("id");
        StringColumn source = StringColumn.create("source");
        StringColumn metric = StringColumn.create("metric");
        StringColumn model = StringColumn.create("model");
        StringColumn hardware = StringColumn.create("hardware");
        StringColumn devices = StringColumn.create("n_devices");
        StringColumn framework = StringColumn.create("framework");
        StringColumn backend = StringColumn.create("backend");
        StringColumn quant = StringColumn.create("quant");
        DoubleColumn measured = decimals(DoubleColumn.create("measured"));
        for (RowResult r : first) {
            Measurement m = r.measurement();
            id.append(r.id());
            source.append(m.sourceUrl());
            metric.append(r.metricId());
            model.append(m.modelLabel());
            hardware.append(m.hardwareLabel());
            devices.append(m.text("n_devices"));
            framework.append(m.frameworkId());
            backend.append(m.backend());
            quant.append(m.text("quant_id"));
            append(measured, r.measured());
        }
        Table t = ResultTable.of("validation rows", id, source, metric, model, hardware, devices, framework, backend,
                quant, measured);
        for (ValidationRun run : runs) {
            if (run.results().size() != first.size()) {
                throw new IllegalArgumentException("runs of different files cannot be shown side by side");
            }
            DoubleColumn predicted = decimals(DoubleColumn.create(run.method() + " predicted"));
            DoubleColumn error = decimals(DoubleColumn.create(run.method() + " error %"));
            StringColumn status = StringColumn.create(run.method() + " status");
            StringColumn reason = StringColumn.create(run.method() + " reason");
            for (RowResult r : run.results()) {
                append(predicted, r.predicted());
                append(error, r.errorPct());
                status.append(r.status().id());
                reason.append(r.reason());
            }
            t.addColumns(predicted, error, status, reason);
        }
        return t;
    }

    /**
     * One row per method and group: the group's columns ({@code metric}, {@code framework}, ...),
     * then rows, predicted, excluded, unsupported, invalid, median |error %|, p90 |error %|,
     * bias % and fits right %.
     */
    public static Table summary(List<ValidationRun> runs, Dimension... by) {
        return summary(runs.stream().map(ValidationRun::method).toList(), runs.stream().map(r -> r.summary(by)).toList(), by);
    }

    /**
     * The table of {@link #summary(List, Dimension...)} from summaries already made: {@code summaries.get(i)}
     * is method {@code methods.get(i)}'s (a streamed file's, as {@code validate --data} makes them).
     * Example: {@code summary(List.of("default"), List.of(run.summary(Dimension.METRIC)), Dimension.METRIC)}.
     */
    public static Table summary(List<String> methods, List<List<SummaryRow>> summaries, Dimension... by) {
        StringColumn method = StringColumn.create("method");
        List<StringColumn> groups = new ArrayList<>();
        for (Dimension d : by) {
            groups.add(StringColumn.create(d.column()));
        }
        IntColumn rows = IntColumn.create("rows");
        IntColumn predicted = IntColumn.create("predicted");
        IntColumn excluded = IntColumn.create("excluded");
        IntColumn unsupported = IntColumn.create("unsupported");
        IntColumn invalid = IntColumn.create("invalid");
        DoubleColumn median = decimals(DoubleColumn.create("median |err| %"));
        DoubleColumn p90 = decimals(DoubleColumn.create("p90 |err| %"));
        DoubleColumn bias = decimals(DoubleColumn.create("bias %"));
        DoubleColumn fits = decimals(DoubleColumn.create("fits right %"));
        List<SummaryRow> all = new ArrayList<>();
        List<String> rowMethods = new ArrayList<>();
        for (int r = 0; r < methods.size(); r++) {
            for (SummaryRow s : summaries.get(r)) {
                all.add(s);
                rowMethods.add(methods.get(r));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        if (methods.size() > 1) {
            List<SummaryRow> reference = summaries.get(0);
            order.sort((a, b) -> Integer.compare(indexOf(reference, all.get(a)), indexOf(reference, all.get(b))));
        }
        for (int i : order) {
            SummaryRow s = all.get(i);
            method.append(rowMethods.get(i));
            for (int d = 0; d < by.length; d++) {
                groups.get(d).append(s.group().get(by[d]));
            }
            rows.append(s.rows());
            predicted.append(s.predicted());
            excluded.append(s.excluded());
            unsupported.append(s.unsupported());
            invalid.append(s.invalid());
            append(median, s.medianAbsErrorPct());
            append(p90, s.p90AbsErrorPct());
            append(bias, s.biasPct());
            append(fits, s.fitsRight() == null ? null : 100 * s.fitsRight());
        }
        List<Column<?>> columns = new ArrayList<>();
        columns.addAll(groups);
        columns.add(method);
        columns.addAll(List.of(rows, predicted, excluded, unsupported, invalid, median, p90, bias, fits));
        return ResultTable.of("validation summary", columns.toArray(new Column<?>[0]));
    }

    /** The group's position in the first run's summary (methods then sit side by side per group). */
    private static int indexOf(List<SummaryRow> reference, SummaryRow s) {
        for (int i = 0; i < reference.size(); i++) {
            if (reference.get(i).group().equals(s.group())) {
                return i;
            }
        }
        return reference.size();
    }

    private static DoubleColumn decimals(DoubleColumn c) {
        c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        return c;
    }

    private static void append(DoubleColumn c, Double v) {
        if (v == null) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }
}
