package gpupoor.dsl;

import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.Scenario;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimates of every point of a sweep, kept column by column in primitive arrays (a million
 * points take about 110 MB), with the point's parameters recomputed from its index.
 */
final class SweepPoints {

    /** Sweeps of at least this many points print their progress. */
    static final long PROGRESS_FROM = 200_000;

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
    final double[] tokensPerSecond;
    final double[] throughput;
    final double[] msPerToken;
    final double[] promptSeconds;
    final double[] msPerIteration;
    /** 1 fits, 0 does not, -1 unknown. */
    final byte[] fits;
    /** GPUs needed, -1 when not given. */
    final int[] gpusNeeded;
    /** 0 memory-bound, 1 compute-bound, -1 not given. */
    final byte[] bound;
    /** Index into {@link #errors}: why the point was rejected or has no memory estimate; -1 for none. */
    final int[] error;
    final List<String> errors = new ArrayList<>();
    /** Prompt and generated tokens of each point (only with a context axis, which splits the context). */
    final int[] prompt;
    final int[] generate;

    private SweepPoints(Grid grid) {
        this.grid = grid;
        this.size = grid.size;
        hasContext = grid.hasContext();
        total = nan();
        weights = nan();
        kv = nan();
        activations = nan();
        gradOptimizer = nan();
        overhead = nan();
        capacity = nan();
        tokensPerSecond = nan();
        throughput = nan();
        msPerToken = nan();
        promptSeconds = nan();
        msPerIteration = nan();
        fits = new byte[size];
        gpusNeeded = new int[size];
        bound = new byte[size];
        error = new int[size];
        prompt = hasContext ? new int[size] : null;
        generate = hasContext ? new int[size] : null;
    }

    private double[] nan() {
        double[] a = new double[size];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Estimates every point, printing progress for large sweeps and stopping when the thread is interrupted. */
    static SweepPoints compute(Grid grid) {
        SweepPoints p = new SweepPoints(grid);
        Progress progress = new Progress("sweep", p.size, p.size >= PROGRESS_FROM);
        Map<Method, Fit> fitters = new IdentityHashMap<>();
        Map<String, Integer> errorIndex = new LinkedHashMap<>();
        for (int i = 0; i < p.size; i++) {
            p.estimate(i, fitters, errorIndex);
            progress.step(i + 1L);
        }
        return p;
    }

    private void estimate(int i, Map<Method, Fit> fitters, Map<String, Integer> errorIndex) {
        fits[i] = -1;
        gpusNeeded[i] = -1;
        bound[i] = -1;
        error[i] = -1;
        try {
            Setup s = grid.setup(i);
            Scenario sc = s.scenario();
            if (hasContext) {
                prompt[i] = sc.workload().promptTokens();
                generate[i] = sc.workload().generateTokens();
            }
            Fit fit = fitters.computeIfAbsent(s.method(), Fit::of);
            Estimate e = s.method().estimate(sc);
            MemoryBreakdown m = e.memory();
            capacity[i] = fit.capacityMiB(sc);
            if (m != null) {
                total[i] = m.totalMiB();
                weights[i] = m.weightsMiB();
                kv[i] = m.kvCacheMiB();
                activations[i] = m.activationMiB();
                gradOptimizer[i] = m.gradOptimizerMiB();
                overhead[i] = m.overheadMiB();
                Boolean f = fit.check(sc, e).fits();
                fits[i] = f == null ? -1 : (byte) (f ? 1 : 0);
            }
            if (e.gpusNeeded() != null) {
                gpusNeeded[i] = e.gpusNeeded();
            }
            Speed sp = e.speed();
            if (sp != null) {
                tokensPerSecond[i] = sp.tokensPerSecond();
                throughput[i] = sp.tokensPerSecond() * sc.workload().batch();
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
                error[i] = errorIndex(String.join("; ", e.notes()), errorIndex);
            }
        } catch (InvalidScenarioException ex) {
            error[i] = errorIndex(ex.getMessage(), errorIndex);
        }
    }

    private int errorIndex(String message, Map<String, Integer> index) {
        return index.computeIfAbsent(message, k -> {
            errors.add(k);
            return errors.size() - 1;
        });
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
            case THROUGHPUT -> throughput[i];
            case MS_PER_TOKEN -> msPerToken[i];
            case PROMPT_SECONDS -> promptSeconds[i];
            case MS_PER_ITERATION -> msPerIteration[i];
            case GPUS_NEEDED -> gpusNeeded[i] < 0 ? Double.NaN : gpusNeeded[i];
        };
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
        List<Column<?>> cols = new ArrayList<>();
        for (int k = 0; k < grid.axes.size(); k++) {
            Axis a = grid.axes.get(k);
            if (a.numeric()) {
                int[] v = new int[size];
                for (int i = 0; i < size; i++) {
                    v[i] = (Integer) a.values().get(grid.valueIndex(i, k));
                }
                IntColumn c = IntColumn.create(a.column(), v);
                c.setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
                cols.add(c);
            } else {
                String[] labels = new String[a.size()];
                for (int j = 0; j < labels.length; j++) {
                    labels[j] = a.label(j);
                }
                StringColumn c = StringColumn.create(a.column(), size);
                for (int i = 0; i < size; i++) {
                    c.set(i, labels[grid.valueIndex(i, k)]);
                }
                cols.add(c);
            }
        }
        if (hasContext) {
            cols.add(ints("prompt_tokens", prompt));
            cols.add(ints("generate_tokens", generate));
        }
        cols.add(doubles("total_mib", total, 0));
        cols.add(doubles("weights_mib", weights, 0));
        cols.add(doubles("kv_cache_mib", kv, 0));
        cols.add(doubles("activations_mib", activations, 0));
        cols.add(doubles("grad_optimizer_mib", gradOptimizer, 0));
        cols.add(doubles("overhead_mib", overhead, 0));
        cols.add(doubles("capacity_mib", capacity, 0));
        BooleanColumn f = BooleanColumn.create("fits");
        for (byte b : fits) {
            if (b < 0) {
                f.appendMissing();
            } else {
                f.append(b == 1);
            }
        }
        cols.add(f);
        int[] gpus = new int[size];
        for (int i = 0; i < size; i++) {
            gpus[i] = gpusNeeded[i] < 0 ? Integer.MIN_VALUE : gpusNeeded[i];
        }
        cols.add(ints("gpus_needed", gpus));
        cols.add(doubles("tokens_per_s", tokensPerSecond, 2));
        cols.add(doubles("throughput_tokens_per_s", throughput, 2));
        cols.add(doubles("ms_per_token", msPerToken, 2));
        cols.add(doubles("prompt_s", promptSeconds, 3));
        cols.add(doubles("ms_per_iteration", msPerIteration, 2));
        StringColumn b = StringColumn.create("bound", size);
        String[] bounds = {"memory", "compute"};
        for (int i = 0; i < size; i++) {
            if (bound[i] >= 0) {
                b.set(i, bounds[bound[i]]);
            }
        }
        cols.add(b);
        if (!errors.isEmpty()) {
            StringColumn e = StringColumn.create("error", size);
            for (int i = 0; i < size; i++) {
                if (error[i] >= 0) {
                    e.set(i, errors.get(error[i]));
                }
            }
            cols.add(e);
        }
        cols.removeIf(c -> c.countMissing() == size && size > 0 && !c.name().equals("total_mib"));
        return Table.create(name, cols);
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
