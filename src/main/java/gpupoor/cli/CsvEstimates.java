package gpupoor.cli;

import gpupoor.args.ScenarioArgs;
import gpupoor.calc.Budget;
import gpupoor.calc.Estimate;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Names;
import gpupoor.calc.Scenario;
import gpupoor.calc.SeedFormat;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.catalog.Uncertainty;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code estimate --csv}: one output row per input row, streamed (a file of any length takes the
 * same memory), with a row's problem in its {@code error} cell instead of stopping the file: the
 * row number as a spreadsheet shows it (the header is row 1), then the column and value. A row whose
 * estimate lacks a part says why in {@code error}: the notes that start with {@code "memory: "} or
 * {@code "speed: "} (speed covers training time, as the original's token/s button does). Rows that
 * could not be estimated are counted; the command exits with code 2 after the whole file when there
 * were any.
 */
final class CsvEstimates {
    /** Input columns echoed to the output. */
    static final List<String> INPUT = new ArrayList<>();
    /**
     * Output columns appended: the seed's figures and {@code error}, then the range each figure with an
     * error band likely lies in ({@code _low}, {@code _high}: see the {@code uncertainty} object of one
     * scenario's JSON) and, on a device, the {@code verdict} (fits, may not fit, does not fit).
     */
    static final List<String> OUTPUT = List.of("total_mib", "kv_mib", "model_mib", "activation_mib",
            "grad_opt_mib", "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter",
            "host_allocated_mib", "host_mapped_mib", "max_concurrency", "error",
            "total_low_mib", "total_high_mib", "tok_s_low", "tok_s_high", "ms_per_iter_low", "ms_per_iter_high", "verdict");

    /** Every column the input may have: the case name, the scenario's columns, the optional knobs. */
    private static final Set<String> READ = new LinkedHashSet<>();

    static {
        INPUT.add("case");
        INPUT.addAll(ScenarioArgs.COLUMNS);
        READ.addAll(INPUT);
        READ.addAll(ScenarioArgs.OPTIONAL_COLUMNS);
    }

    private final Method method;
    private final Catalog catalog;

    /** Estimates rows with {@code method}, looking names up in {@code catalog}. */
    CsvEstimates(Method method, Catalog catalog) {
        this.method = method;
        this.catalog = catalog;
    }

    /** What a run did: the data rows and the ones that failed (their spreadsheet numbers, the first few). */
    record Outcome(int rows, int failed, List<Integer> firstFailed) {
    }

    /**
     * Estimates every row of {@code file}, writing CSV to {@code out} and warnings to {@code err}.
     *
     * @throws InvalidScenarioException when the file itself cannot be used (missing, not a regular file,
     *                                  empty, or its first row is not a header)
     */
    Outcome run(Path file, PrintWriter out, PrintWriter err) {
        try (Csv.Rows rows = Csv.Rows.open(file)) {
            checkHeader(rows, err);
            PrintWriter w = new PrintWriter(new BufferedWriter(out, 1 << 16), false);
            List<String> header = new ArrayList<>(INPUT);
            header.addAll(OUTPUT);
            w.print(line(header));
            Tally tally = new Tally();
            RowBatches.run(rows::next, this::estimate, (row, result) -> write(row, result, w, tally));
            w.flush();
            if (tally.count == 0) {
                err.println("warning: '" + Names.printable(rows.name()) + "' has a header but no data rows");
            }
            return new Outcome(tally.count, tally.failed, tally.firstFailed);
        }
    }

    /** Rows written so far, and the failed ones. */
    private static final class Tally {
        int count;
        int failed;
        final List<Integer> firstFailed = new ArrayList<>();
    }

    /** Writes one row's line and counts it. */
    private static void write(Csv.Row row, Map<String, String> result, PrintWriter w, Tally tally) {
        tally.count++;
        if (result.containsKey("failed")) {
            tally.failed++;
            if (tally.firstFailed.size() < 10) {
                tally.firstFailed.add(row.number());
            }
        }
        List<String> cells = new ArrayList<>();
        for (String c : INPUT) {
            cells.add(row.cells().getOrDefault(c, ""));
        }
        for (String c : OUTPUT) {
            cells.add(result.getOrDefault(c, ""));
        }
        w.print(line(cells));
    }

    /** The first row must name columns; columns nobody reads are reported (a typo, say). */
    private static void checkHeader(Csv.Rows rows, PrintWriter err) {
        List<String> header = rows.header();
        if (header.stream().noneMatch(READ::contains)) {
            throw new InvalidScenarioException("'" + rows.name() + "' has no header row: its first row ("
                    + String.join(",", header.subList(0, Math.min(6, header.size())))
                    + (header.size() > 6 ? ",…" : "") + ") names none of the columns; the columns read are "
                    + String.join(", ", READ));
        }
        for (String column : header) {
            if (!column.isEmpty() && !READ.contains(column)) {
                err.println("warning: column '" + Names.printable(column) + "' is not read"
                        + Names.didYouMean(column, READ) + " (the columns read: " + String.join(", ", READ) + ")");
            }
        }
    }

    /** The output cells of one row; a {@code failed} key when the row could not be estimated at all. */
    private Map<String, String> estimate(Csv.Row row) {
        Map<String, String> cells = new HashMap<>();
        if (row.problem() != null) {
            cells.put("error", "row " + row.number() + ": " + row.problem());
            cells.put("failed", "");
            return cells;
        }
        try {
            Scenario s = ScenarioArgs.fromColumns(row.cells()).builder(catalog).build();
            Estimate e = method.estimate(s);
            cells.putAll(SeedFormat.columns(e));
            ranges(Uncertainty.of(s, e), e.budget(), cells);
            cells.put("error", String.join("; ", e.notes().stream().filter(CsvEstimates::explainsAMissingPart)
                    .map(n -> Input.render(n, ScenarioArgs.COLUMN_STYLE)).toList()));
        } catch (InvalidScenarioException ex) {
            cells.put("error", "row " + row.number() + ": " + ex.in(ScenarioArgs.COLUMN_STYLE).getMessage());
            cells.put("failed", "");
        }
        return cells;
    }

    /** The range cells of the figures of {@link #OUTPUT} that have one, rounded as the figure, and the verdict. */
    private void ranges(Uncertainty u, Budget budget, Map<String, String> cells) {
        for (Uncertainty.Range r : u.ranges()) {
            String column = switch (r.figure()) {
                case TOTAL -> "total";
                case TOKENS_PER_SECOND -> "tok_s";
                case MS_PER_ITERATION -> "ms_per_iter";
                case MODEL_SIZE, MS_PER_TOKEN, PROMPT_SECONDS -> null;
            };
            if (column != null) {
                String unit = r.figure() == Uncertainty.Figure.TOTAL ? "_mib" : "";
                cells.put(column + "_low" + unit, SeedFormat.text(EstimateCommand.round(method.rounding(), r.figure(), r.low())));
                cells.put(column + "_high" + unit, SeedFormat.text(EstimateCommand.round(method.rounding(), r.figure(), r.high())));
            }
        }
        if (budget != null && budget.fits() != null) {
            cells.put("verdict", u.verdict(budget.fits(), budget.requiredMiB(), budget.usableMiB()).text());
        }
    }

    /** Notes starting "memory: " or "speed: " say why that part is missing; the others are remarks. */
    private static boolean explainsAMissingPart(String note) {
        return note.startsWith("memory: ") || note.startsWith("speed: ");
    }

    private static String line(List<String> cells) {
        String[] printable = new String[cells.size()];
        for (int i = 0; i < printable.length; i++) {
            printable[i] = cells.get(i) == null ? "" : Names.printable(cells.get(i));
        }
        return Csv.line(printable);
    }
}
