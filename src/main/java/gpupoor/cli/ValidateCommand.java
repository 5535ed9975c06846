package gpupoor.cli;

import gpupoor.calc.Names;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.dsl.ValidationTables;
import gpupoor.validate.BandFit;
import gpupoor.validate.Dimension;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.ResultsCsv;
import gpupoor.validate.RowResult;
import gpupoor.validate.Status;
import gpupoor.validate.Summary;
import gpupoor.validate.SummaryRow;
import gpupoor.validate.ValidationRun;
import gpupoor.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code validate}: predictions of a method against published measurements. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict every row of a measurements file with a method and compare.",
                "--format table|json: the summary per metric, per framework and per",
                "backend: rows, rows predicted, median and 90th-percentile |error %%|,",
                "mean signed error %% (bias), share of fits/OOM classified right.",
                "--format csv: one line per row:",
                "id,metric,measured,predicted,low,high,error_pct,status,reason,",
                "then the row's model, device, runtime and settings; low-high is the",
                "range the prediction puts the measured value in (its error band,",
                "made without the row's own source).",
                "Rows that cannot be predicted say why (status unsupported, excluded or",
                "invalid); invalid rows are also reported on stderr.",
                "Bad options, and a --data file with invalid rows (after all output), exit with code 2."})
public final class ValidateCommand implements Callable<Integer> {

    /** The per-metric, per-framework and per-backend groupings of the summary. */
    static final List<Dimension[]> GROUPINGS = List.of(new Dimension[] {Dimension.METRIC},
            new Dimension[] {Dimension.METRIC, Dimension.FRAMEWORK}, new Dimension[] {Dimension.METRIC, Dimension.BACKEND});

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Measurements CSV with the columns of catalog/measured.csv (default: the bundled file). "
                    + "Each row is predicted; a bad row is reported with its row number and column, and the exit "
                    + "code is 2 when any row of the file is invalid.")
    String data;
    @Option(names = "--calc", paramLabel = "METHOD", description = "default (ours) or gpu-poor (the original's numbers).")
    String calc = "default";
    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), csv or json.")
    String format = "table";

    @Override
    public Integer call() throws Exception {
        Method method = Methods.parse(calc);
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!List.of("table", "csv", "json").contains(f)) {
            throw new InvalidScenarioException("unknown format '" + format + "'; accepted: table, csv, json");
        }
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
        PrintWriter err = spec.commandLine().getErr();
        // csv shows the rows, not the groups: its summary only counts (the warnings, the exit code)
        Summary summary = new Summary(f.equals("csv") ? List.of() : GROUPINGS);
        String name;
        List<String> missing;
        // the rows stream: each is predicted (on every core, a batch at a time), written and folded into the summary
        try (MeasuredData.Rows rows = data == null ? MeasuredData.openBundled() : MeasuredData.open(Main.path("--data", data))) {
            name = rows.name();
            missing = rows.missingColumns();
            for (String w : Validator.warnings(name, missing, false)) {
                err.println("warning: " + Names.printable(w));
            }
            Consumer<RowResult> sink = r -> {
                summary.add(r);
                if (r.status() == Status.INVALID) {
                    err.println("warning: " + Names.printable(r.reason()));
                }
            };
            if (f.equals("csv")) {
                // each row's band is made from the method's residuals on the bundled file, less the row's own source
                ValidationRun reference = Validator.run(method);
                BandFit.HeldOut bands = new BandFit.HeldOut(method.id(), reference);
                out.print(ResultsCsv.header());
                if (data == null) {
                    // the bundled file is the reference: predicted once
                    reference.results().forEach(sink.andThen(r -> out.print(ResultsCsv.line(r, bands.band(r)))));
                } else {
                    // the line is made with the prediction, on every core; written in order
                    RowBatches.run(rows::next, m -> {
                        RowResult r = Validator.predict(method, m);
                        return new Line(r, ResultsCsv.line(r, bands.band(r)));
                    }, (m, line) -> {
                        sink.accept(line.result());
                        out.print(line.text());
                    });
                }
            } else {
                RowBatches.run(rows::next, m -> Validator.predict(method, m), (m, r) -> sink.accept(r));
            }
        }
        if (summary.rows() == 0) {
            err.println("warning: " + Names.printable(Validator.warnings(name, List.of(), true).get(0)));
        }
        err.flush();
        // csv: every line is written already; the summaries come once every row is in
        if (f.equals("json")) {
            out.println(EstimateCommand.JSON.writeValueAsString(json(method.id(), name, summary,
                    Validator.warnings(name, missing, summary.rows() == 0))));
        } else if (f.equals("table")) {
            table(method.id(), name, summary, out);
        }
        out.flush();
        int invalid = summary.count(Status.INVALID);
        if (invalid > 0 && data != null) {
            // the user's file had bad rows (the bundled file's invalid rows are the catalog's to fix, not input)
            err.println("error: " + invalid + " of " + summary.rows() + " rows are invalid (each reported above "
                    + "as a warning, with its row number and column)");
            err.flush();
            return Main.BAD_INPUT;
        }
        return 0;
    }

    /** A row's result and its CSV line. */
    private record Line(RowResult result, String text) {
    }

    private static String headline(String method, String data, Summary s) {
        return "method " + method + " on " + data + ": " + s.rows() + " rows, "
                + s.count(Status.OK) + " predicted, " + s.count(Status.EXCLUDED) + " excluded, "
                + s.count(Status.UNSUPPORTED) + " unsupported, " + s.count(Status.INVALID) + " invalid";
    }

    private static void table(String method, String data, Summary summary, PrintWriter out) {
        out.println(headline(method, data, summary));
        for (Dimension[] by : GROUPINGS) {
            out.println();
            out.println(ValidationTables.summary(List.of(method), List.of(summary.rows(by)), by).printAll());
        }
    }

    private static Map<String, Object> json(String method, String data, Summary summary, List<String> warnings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("data", data);
        json.put("rows", summary.rows());
        Map<String, Object> status = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            status.put(s.id(), summary.count(s));
        }
        json.put("status", status);
        for (Dimension[] by : GROUPINGS) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (SummaryRow s : summary.rows(by)) {
                groups.add(json(s));
            }
            StringBuilder key = new StringBuilder("by");
            for (Dimension d : by) {
                key.append('_').append(d.column());
            }
            json.put(key.toString(), groups);
        }
        json.put("warnings", warnings);
        return json;
    }

    private static Map<String, Object> json(SummaryRow s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.group().forEach((d, v) -> m.put(d.column(), v));
        m.put("rows", s.rows());
        m.put("predicted", s.predicted());
        m.put("excluded", s.excluded());
        m.put("unsupported", s.unsupported());
        m.put("invalid", s.invalid());
        m.put("median_abs_error_pct", number(s.medianAbsErrorPct()));
        m.put("p90_abs_error_pct", number(s.p90AbsErrorPct()));
        m.put("bias_pct", number(s.biasPct()));
        m.put("fits_right_share", s.fitsRight() == null ? null : number(s.fitsRight()));
        return m;
    }

    private static BigDecimal number(Double v) {
        return v == null ? null : new BigDecimal(ResultsCsv.number(v));
    }
}
