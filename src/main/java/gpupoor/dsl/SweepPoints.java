package gpupoor.dsl;

import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.Scenario;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.ErrorBands;
import gpupoor.catalog.Uncertainty;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The estimates of every point of a sweep, kept column by column in primitive arrays (a million
 * points take about 100 MB), with the point's parameters recomputed from its index.
 */
final class SweepPoints {

    /** Sweeps of at least this many points print their progress. */
    static final long PROGRESS_FROM = 200_000;
    /** Points per chunk of parallel work: a few milliseconds. */
    private static final int CHUNK = 1024;

    final Grid grid;
    final int size;
    private final boolean hasContext;

    final double[] total;
    final double[] weights;
    final double[] kv;
    final double[] activations;
    final double[] gradOptimizer;
    final double[] overhead;
    final double[] capacity;
    /** Host memory beside the device(s): allocated plus mapped from the file. */
    final double[] host;
    /** The most sequences of the point's length that run at once (NaN when not given). */
    final double[] concurrency;
    final double[] tokensPerSecond;
    final double[] msPerToken;
    final double[] promptSeconds;
    final double[] msPerIteration;
    /** The arrays above, each a figure of every point (NaN where a point has none). */
    private final double[][] figures;
    /** 1 fits, 0 does not, -1 unknown. */
    final byte[] fits;
    /** The fit verdict with the memory's error band ({@link Uncertainty.Verdict} ordinal); -1 when unknown. */
    final byte[] verdict;
    /** Batch size (for throughput), set with the speed. */
    final int[] batch;
    /** GPUs needed, -1 when not given. */
    final int[] gpusNeeded;
    /** 0 memory-bound, 1 compute-bound, -1 not given. */
    final byte[] bound;
    /** Index into {@link #errors}: why the point was rejected or has no memory estimate; -1 for none. */
    final int[] error;
    final List<String> errors = new ArrayList<>();
    /** Index into {@link #bandKeys}: what the error bands of the point's figures depend on; -1 when not estimated. */
    final int[] bandKey;
    /** The distinct keys of the points' error bands. */
    final List<Uncertainty.Key> bandKeys = new ArrayList<>();
    /** The band of each metric (by ordinal) for each of {@link #bandKeys}; null where there is none. */
    private final ErrorBand[][] bands = new ErrorBand[Metric.values().length][];
    /** Prompt and generated tokens of each point (only with a context axis, which splits the context). */
    final int[] prompt;
    final int[] generate;

    private SweepPoints(Grid grid) {
        this.grid = grid;
        this.size = grid.size;
        hasContext = grid.hasContext();
        total = new double[size];
        weights = new double[size];
        kv = new double[size];
        activations = new double[size];
        gradOptimizer = new double[size];
        overhead = new double[size];
        capacity = new double[size];
        host = new double[size];
        concurrency = new double[size];
        tokensPerSecond = new double[size];
        msPerToken = new double[size];
        promptSeconds = new double[size];
        msPerIteration = new double[size];
        figures = new double[][]{total, weights, kv, activations, gradOptimizer, overhead, capacity, host, concurrency,
                tokensPerSecond, msPerToken, promptSeconds, msPerIteration};
        fits = new byte[size];
        verdict = new byte[size];
        gpusNeeded = new int[size];
        batch = new int[size];
        bound = new byte[size];
        error = new int[size];
        bandKey = new int[size];
        prompt = hasContext ? new int[size] : null;
        generate = hasContext ? new int[size] : null;
    }


    /**
     * Estimates every point on every core ({@link Parallel}), printing progress for large sweeps and
     * stopping when the thread is interrupted. Error messages and band keys are numbered in the order
     * of the points that first give them, as one loop over the points would.
     */
    static SweepPoints compute(Grid grid) {
        SweepPoints p = new SweepPoints(grid);
        Progress progress = new Progress("sweep", p.size, p.size >= PROGRESS_FROM);
        List<Chunk> chunks = new ArrayList<>(java.util.Collections.nCopies(Parallel.chunks(p.size, CHUNK), null));
        Parallel.run(p.size, CHUNK, progress, (c, from, to) -> {
            Chunk chunk = new Chunk(p.grid);
            for (int i = from; i < to; i++) {
                p.estimate(i, chunk);
            }
            chunks.set(c, chunk);
        });
        Numbering<String> errorIndex = new Numbering<>(p.errors);
        Numbering<Uncertainty.Key> keyIndex = new Numbering<>(p.bandKeys);
        for (int c = 0; c < chunks.size(); c++) {
            int from = c * CHUNK;
            int to = Math.min(p.size, from + CHUNK);
            chunks.get(c).errors.renumber(p.error, from, to, errorIndex);
            chunks.get(c).keys.renumber(p.bandKey, from, to, keyIndex);
        }
        p.lookUpBands();
        return p;
    }

    /** What one chunk of points numbers on its own (merged into the sweep's lists in chunk order afterwards). */
    private static final class Chunk {
        final Map<Method, Fit> fitters = new IdentityHashMap<>();
        /** The previous point's setups: a chunk's points are consecutive. */
        final Grid.Cursor cursor;
        final Numbering<String> errors = new Numbering<>(new ArrayList<>());
        final Numbering<Uncertainty.Key> keys = new Numbering<>(new ArrayList<>());
        /** The total memory's band of each key numbered in {@link #keys}, looked up once per key. */
        private final List<ErrorBand> memoryBands = new ArrayList<>();

        Chunk(Grid grid) {
            cursor = new Grid.Cursor(grid.axes.size());
        }

        /** The previous point's scenario, method and band key number. */
        private Scenario lastScenario;
        private String lastMethod;
        private int lastKey;

        /** The number of a point's band key ({@link Uncertainty.Key#of}), the previous point's when it surely has the same. */
        int keyNumber(String method, Scenario s) {
            if (lastScenario == null || !method.equals(lastMethod) || !Uncertainty.Key.sameInputs(lastScenario, s)) {
                lastKey = keys.number(Uncertainty.Key.of(method, s));
                lastMethod = method;
                lastScenario = s;
            }
            return lastKey;
        }

        ErrorBand memoryBand(int key) {
            while (memoryBands.size() <= key) {
                memoryBands.add(keys.list().get(memoryBands.size()).band(ErrorBands.bundled(), Metric.MEMORY.figure()));
            }
            return memoryBands.get(key);
        }
    }

    /** Distinct values numbered in the order they first come, kept in {@code list}. */
    private record Numbering<T>(List<T> list, Map<T, Integer> index) {
        Numbering(List<T> list) {
            this(list, new HashMap<>());
        }

        int number(T value) {
            Integer known = index.get(value);  // not computeIfAbsent: a capturing lambda per point costs more than the look-up
            if (known != null) {
                return known;
            }
            list.add(value);
            index.put(value, list.size() - 1);
            return list.size() - 1;
        }

        /** Replaces this numbering's numbers in {@code numbers[from..to)} (-1: none) by {@code into}'s. */
        void renumber(int[] numbers, int from, int to, Numbering<T> into) {
            if (list.isEmpty()) {
                return;
            }
            int[] global = new int[list.size()];
            for (int k = 0; k < global.length; k++) {
                global[k] = into.number(list.get(k));
            }
            for (int i = from; i < to; i++) {
                if (numbers[i] >= 0) {
                    numbers[i] = global[numbers[i]];
                }
            }
        }
    }

    /**
     * Estimates point {@code i}; its error message and band key are numbered in {@code chunk}. Every
     * figure starts as "none" here (NaN, -1), on the thread that writes the point, rather than in a
     * pass of its own over every array before the points.
     */
    private void estimate(int i, Chunk chunk) {
        for (double[] figure : figures) {
            figure[i] = Double.NaN;
        }
        fits[i] = -1;
        verdict[i] = -1;
        bandKey[i] = -1;
        gpusNeeded[i] = -1;
        bound[i] = -1;
        error[i] = -1;
        try {
            Setup s = grid.setup(i, chunk.cursor);
            Scenario sc = s.scenario();
            if (hasContext) {
                prompt[i] = sc.workload().promptTokens();
                generate[i] = sc.workload().generateTokens();
            }
            Fit fit = chunk.fitters.computeIfAbsent(s.method(), Fit::of);
            Estimate e = s.method().estimate(sc);
            int k = chunk.keyNumber(e.method(), sc);
            bandKey[i] = k;
            MemoryBreakdown m = e.memory();
            capacity[i] = fit.capacityMiB(sc);
            if (m != null) {
                total[i] = m.totalMiB();
                weights[i] = m.weightsMiB();
                kv[i] = m.kvCacheMiB();
                activations[i] = m.activationMiB();
                gradOptimizer[i] = m.gradOptimizerMiB();
                overhead[i] = m.overheadMiB();
                host[i] = m.hostMiB();
                Fit.Check c = fit.check(sc, e);
                capacity[i] = c.capacityMiB();
                fits[i] = c.fits() == null ? -1 : (byte) (c.fits() ? 1 : 0);
                if (c.fits() != null) {
                    verdict[i] = (byte) Uncertainty.verdict(c.fits(), c.neededMiB(), c.capacityMiB(), chunk.memoryBand(k))
                            .ordinal();
                }
            }
            if (e.gpusNeeded() != null) {
                gpusNeeded[i] = e.gpusNeeded();
            }
            if (e.budget() != null && e.budget().maxConcurrency() != null) {
                concurrency[i] = e.budget().maxConcurrency();
            }
            // a serving runtime whose KV pool cannot hold the batch at once would queue it: no throughput for it
            boolean queued = e.budget() != null && e.budget().pool() != null && Boolean.FALSE.equals(e.budget().fits());
            Speed sp = queued ? null : e.speed();
            if (sp != null) {
                tokensPerSecond[i] = sp.tokensPerSecond();
                batch[i] = sc.workload().batch();
                msPerToken[i] = sp.msPerToken();
                promptSeconds[i] = sp.promptSeconds();
                bound[i] = (byte) sp.bound().ordinal();
            }
            TrainingTime t = e.training();
            if (t != null) {
                msPerIteration[i] = t.msPerIteration();
                bound[i] = (byte) t.bound().ordinal();
            }
            if (m == null) {
                error[i] = chunk.errors.number(Setup.text(String.join("; ", e.notes())));
            }
        } catch (InvalidScenarioException ex) {
            error[i] = chunk.errors.number(Setup.message(ex));
        }
    }

    /** The error message of point {@code i}, or null. */
    String errorAt(int i) {
        return error[i] < 0 ? null : errors.get(error[i]);
    }

    /** The metric's value at point {@code i} (NaN when missing). */
    double value(Metric metric, int i) {
        return switch (metric) {
            case MEMORY -> total[i] / 1024;
            case TOKENS_PER_SECOND -> tokensPerSecond[i];
            case THROUGHPUT -> tokensPerSecond[i] * batch[i];
            case MS_PER_TOKEN -> msPerToken[i];
            case PROMPT_SECONDS -> promptSeconds[i];
            case MS_PER_ITERATION -> msPerIteration[i];
            case GPUS_NEEDED -> gpusNeeded[i] < 0 ? Double.NaN : gpusNeeded[i];
            case MAX_CONCURRENCY -> concurrency[i];
            case HOST_MEMORY -> host[i] / 1024;
        };
    }

    /** The error band of the metric's figure at point {@code i}; null for a count, or a point without one. */
    ErrorBand band(Metric metric, int i) {
        return bandKey[i] < 0 ? null : bands[metric.ordinal()][bandKey[i]];
    }

    /** Looks up each metric's band for each distinct key once (a table of 10⁶ points otherwise looks it up per point). */
    private void lookUpBands() {
        ErrorBands table = ErrorBands.bundled();
        for (Metric m : Metric.values()) {
            Uncertainty.Figure f = m.figure();
            ErrorBand[] byKey = new ErrorBand[bandKeys.size()];
            for (int k = 0; f != null && k < byKey.length; k++) {
                byKey[k] = bandKeys.get(k).band(table, f);
            }
            bands[m.ordinal()] = byKey;
        }
    }

    /** Memory component {@code c} of point {@code i} in GiB. */
    double componentGiB(Component c, int i) {
        double mib = switch (c) {
            case WEIGHTS -> weights[i];
            case KV_CACHE -> kv[i];
            case ACTIVATIONS -> activations[i];
            case GRAD_OPTIMIZER -> gradOptimizer[i];
            case OVERHEAD -> overhead[i];
        };
        return mib / 1024;
    }

    /**
     * One row per point: a column per swept parameter, then the outputs in stated units. Output
     * columns without a value at any point (speed in fine-tuning, errors when none) are left out.
     */
    Table table(String name) {
        return table(name, null);
    }

    /**
     * The first {@code head} and last {@code tail} rows of {@link #table(String)} (all rows when
     * there are no more), for showing a large sweep without building all of it.
     */
    Table preview(String name, int head, int tail) {
        if (size <= head + tail) {
            return table(name, null);
        }
        int[] rows = new int[head + tail];
        for (int j = 0; j < head; j++) {
            rows[j] = j;
        }
        for (int j = 0; j < tail; j++) {
            rows[head + j] = size - tail + j;
        }
        return table(name, rows);
    }

    /** The table of the points {@code rows} (null: every point); columns are kept or left out as for all points. */
    private Table table(String name, int[] rows) {
        int n = rows == null ? size : rows.length;
        List<Column<?>> cols = new ArrayList<>();
        for (int k = 0; k < grid.axes.size(); k++) {
            Axis a = grid.axes.get(k);
            if (a.numeric()) {
                int[] values = new int[a.size()];
                for (int x = 0; x < values.length; x++) {
                    values[x] = (Integer) a.values().get(x);
                }
                int[] v = new int[n];
                for (int j = 0; j < n; j++) {
                    v[j] = values[grid.valueIndex(row(rows, j), k)];
                }
                cols.add(ints(a.column(), v));
            } else {
                String[] labels = new String[a.size()];
                for (int x = 0; x < labels.length; x++) {
                    labels[x] = a.label(x);
                }
                String[] v = new String[n];
                for (int j = 0; j < n; j++) {
                    v[j] = labels[grid.valueIndex(row(rows, j), k)];
                }
                cols.add(StringColumn.create(a.column(), v));
            }
        }
        if (hasContext) {
            cols.add(ints("prompt_tokens", pick(prompt, rows)));
            cols.add(ints("generate_tokens", pick(generate, rows)));
        }
        // the output columns, each built only when some point has a value in it, on every core
        Map<String, Function<String, Column<?>>> outputs = new LinkedHashMap<>();
        outputs.put("total_mib", column -> doubles(column, pick(total, rows), 0));
        outputs.put("total_low_mib", column -> doubles(column, ends(Metric.MEMORY, total, rows, n, false), 0));
        outputs.put("total_high_mib", column -> doubles(column, ends(Metric.MEMORY, total, rows, n, true), 0));
        outputs.put("weights_mib", column -> doubles(column, pick(weights, rows), 0));
        outputs.put("kv_cache_mib", column -> doubles(column, pick(kv, rows), 0));
        outputs.put("activations_mib", column -> doubles(column, pick(activations, rows), 0));
        outputs.put("grad_optimizer_mib", column -> doubles(column, pick(gradOptimizer, rows), 0));
        outputs.put("overhead_mib", column -> doubles(column, pick(overhead, rows), 0));
        outputs.put("capacity_mib", column -> doubles(column, pick(capacity, rows), 0));
        outputs.put("host_mib", column -> doubles(column, pick(host, rows), 0));
        outputs.put("max_concurrency", column -> doubles(column, pick(concurrency, rows), 0));
        outputs.put("fits", column -> {
            BooleanColumn f = BooleanColumn.create(column);
            for (int j = 0; j < n; j++) {
                byte b = fits[row(rows, j)];
                if (b < 0) {
                    f.appendMissing();
                } else {
                    f.append(b == 1);
                }
            }
            return f;
        });
        outputs.put("verdict", column -> {
            Uncertainty.Verdict[] all = Uncertainty.Verdict.values();
            String[] verdicts = new String[n];
            for (int j = 0; j < n; j++) {
                byte x = verdict[row(rows, j)];
                verdicts[j] = x >= 0 ? all[x].text() : null;
            }
            return StringColumn.create(column, verdicts);
        });
        outputs.put("gpus_needed", column -> {
            int[] gpus = new int[n];
            for (int j = 0; j < n; j++) {
                int g = gpusNeeded[row(rows, j)];
                gpus[j] = g < 0 ? Integer.MIN_VALUE : g;
            }
            return ints(column, gpus);
        });
        outputs.put("tokens_per_s", column -> doubles(column, pick(tokensPerSecond, rows), 2));
        outputs.put("tokens_per_s_low", column -> doubles(column, ends(Metric.TOKENS_PER_SECOND, tokensPerSecond, rows, n, false), 2));
        outputs.put("tokens_per_s_high", column -> doubles(column, ends(Metric.TOKENS_PER_SECOND, tokensPerSecond, rows, n, true), 2));
        outputs.put("throughput_tokens_per_s", column -> {
            double[] throughput = new double[n];
            for (int j = 0; j < n; j++) {
                throughput[j] = value(Metric.THROUGHPUT, row(rows, j));
            }
            return doubles(column, throughput, 2);
        });
        outputs.put("ms_per_token", column -> doubles(column, pick(msPerToken, rows), 2));
        outputs.put("prompt_s", column -> doubles(column, pick(promptSeconds, rows), 3));
        outputs.put("ms_per_iteration", column -> doubles(column, pick(msPerIteration, rows), 2));
        outputs.put("bound", column -> {
            String[] bounds = {"memory", "compute"};
            String[] b = new String[n];
            for (int j = 0; j < n; j++) {
                byte v = bound[row(rows, j)];
                b[j] = v >= 0 ? bounds[v] : null;
            }
            return StringColumn.create(column, b);
        });
        outputs.put("error", column -> {
            String[] e = new String[n];
            for (int j = 0; j < n; j++) {
                int v = error[row(rows, j)];
                e[j] = v >= 0 ? errors.get(v) : null;
            }
            return StringColumn.create(column, e);
        });
        List<String> shown = new ArrayList<>();
        for (String column : outputs.keySet()) {
            if (column.equals("total_mib") || anyValue(column)) {
                shown.add(column);
            }
        }
        Column<?>[] built = new Column<?>[shown.size()];
        Parallel.run(built.length, 1, new Progress("table", built.length, false),
                (c, from, to) -> built[from] = outputs.get(shown.get(from)).apply(shown.get(from)));
        cols.addAll(List.of(built));
        return ResultTable.of(name, cols);
    }

    /** Whether any point (not only those shown) has a value in the output column {@code name}. */
    private boolean anyValue(String name) {
        return switch (name) {
            case "total_low_mib", "total_high_mib", "weights_mib", "kv_cache_mib", "activations_mib", "grad_optimizer_mib", "overhead_mib" -> any(total);
            case "capacity_mib" -> any(capacity);
            case "host_mib" -> Arrays.stream(host).anyMatch(v -> v > 0);
            case "max_concurrency" -> any(concurrency);
            case "fits" -> anyAtLeast(fits, 0);
            case "verdict" -> anyAtLeast(verdict, 0);
            case "gpus_needed" -> Arrays.stream(gpusNeeded).anyMatch(g -> g >= 0);
            case "tokens_per_s", "tokens_per_s_low", "tokens_per_s_high", "throughput_tokens_per_s", "ms_per_token", "prompt_s" -> any(tokensPerSecond);
            case "ms_per_iteration" -> any(msPerIteration);
            case "bound" -> anyAtLeast(bound, 0);
            case "error" -> !errors.isEmpty();
            default -> true;
        };
    }

    private static boolean any(double[] values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyAtLeast(byte[] values, int min) {
        for (byte v : values) {
            if (v >= min) {
                return true;
            }
        }
        return false;
    }

    /** The point shown in row {@code j} of a table of the points {@code rows} (null: every point, in order). */
    private static int row(int[] rows, int j) {
        return rows == null ? j : rows[j];
    }

    // tablesaw copies the arrays a column is made of, so the points' own arrays can be handed over when all are shown

    /** The values of the points {@code rows} (null: all, the array itself). */
    private static int[] pick(int[] values, int[] rows) {
        if (rows == null) {
            return values;
        }
        int[] out = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = values[rows[j]];
        }
        return out;
    }

    /** The values of the points {@code rows} (null: all, the array itself). */
    private static double[] pick(double[] values, int[] rows) {
        if (rows == null) {
            return values;
        }
        double[] out = new double[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = values[rows[j]];
        }
        return out;
    }

    /**
     * The low or high end of the likely measured value of the metric's figure {@code values} at the
     * shown points (NaN where a point has no value or no band).
     */
    private double[] ends(Metric metric, double[] values, int[] rows, int n, boolean high) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            int i = row(rows, j);
            ErrorBand b = Double.isNaN(values[i]) ? null : band(metric, i);
            out[j] = b == null ? Double.NaN : high ? b.high(values[i]) : b.low(values[i]);
        }
        return out;
    }

    private static IntColumn ints(String name, int[] values) {
        IntColumn c = IntColumn.create(name, values);
        c.setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
        return c;
    }

    private static DoubleColumn doubles(String name, double[] values, int decimals) {
        DoubleColumn c = DoubleColumn.create(name, values);
        c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(decimals));
        return c;
    }
}
