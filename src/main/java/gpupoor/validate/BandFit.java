package gpupoor.validate;

import gpupoor.catalog.BandClass;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.ErrorBands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Error bands from the residuals of a validation run: the method behind
 * {@code catalog/error-bands.csv} (see the bands section of {@code catalog/calibration.md}).
 * <ul>
 * <li>Every predicted value row has a class ({@link BandClass#of}: its metric, the runtime it was
 *     estimated with, the device class and one or several devices, from the row's scenario), a
 *     source ({@link #source}) and a signed relative error (predicted − measured) / measured.</li>
 * <li>A class with at least {@value #MIN_ROWS} rows from at least {@value #MIN_SOURCES} sources
 *     has its own band: the 10th and 90th percentiles of its rows' errors ({@link ErrorStats#percentile}).
 *     A class with fewer takes the band of its first parent that has enough ({@link BandClass#parent}).
 *     When none has, the class gets its metric's wide default, as does a class with no row at all.</li>
 * <li>The wide default: the measured value between 1/{@value #MEMORY_FACTOR} and
 *     {@value #MEMORY_FACTOR} times the estimate for memory metrics, between 1/{@value #SPEED_FACTOR}
 *     and {@value #SPEED_FACTOR} times for speeds and times (an engineering choice, not fitted), and
 *     never narrower than the p10–p90 band of all the method's rows of that kind (memory, or speeds
 *     and times) together: a method that errs widely everywhere has a wider default.</li>
 * </ul>
 * {@link #heldOut} gives every row the band made without its own source's rows: what
 * {@code validate --format csv} shows as {@code low} and {@code high}, and what the held-out
 * coverage is measured on.
 */
public final class BandFit {
    /** The fewest rows a class needs for a band of its own. */
    public static final int MIN_ROWS = 10;
    /** The fewest sources a class needs for a band of its own. */
    public static final int MIN_SOURCES = 2;
    /** The default band of memory metrics: the measured value within this factor of the estimate, either way. */
    public static final double MEMORY_FACTOR = 1.5;
    /** The default band of speeds and times: the measured value within this factor of the estimate, either way. */
    public static final double SPEED_FACTOR = 2;
    /** The lowest 10th percentile a band takes (−99%): a prediction of 0 would give the measured value no upper end. */
    static final double LOWEST_P10 = -0.99;

    private BandFit() {
    }

    /**
     * One predicted row's residual.
     *
     * @param result the row's result
     * @param cls    its class
     * @param source its source ({@link #source})
     * @param error  its signed relative error, (predicted − measured) / measured
     */
    public record Residual(RowResult result, BandClass cls, String source, double error) {
    }

    /**
     * A row's source for the bands: the {@code source} cell's URL and its first parenthesized
     * locator, e.g. {@code https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference (README,
     * May 2024 LLaMA 3 tables)}: one table, comment or README version, whose rows share a setup and
     * a way of measuring. Comments after the locator do not make a new source.
     */
    public static String source(Measurement m) {
        String s = m.text("source");
        String url = m.sourceUrl();
        String rest = s.substring(url.length()).stripLeading();
        if (rest.startsWith("(")) {
            int close = rest.indexOf(')');
            return url + " " + (close < 0 ? rest : rest.substring(0, close + 1));
        }
        return url;
    }

    /** The residual of a result, or null unless it is a predicted value row (not {@code fits_in_memory}). */
    public static Residual residual(RowResult r) {
        if (!r.isOk() || r.bandClass() == null) {
            return null;
        }
        return new Residual(r, r.bandClass(), source(r.measurement()), r.errorPct() / 100);
    }

    /** The residuals of a run's predicted value rows, in file order. */
    public static List<Residual> residuals(ValidationRun run) {
        List<Residual> out = new ArrayList<>();
        for (RowResult r : run.results()) {
            Residual x = residual(r);
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    /** The bands of every run's method on its residuals: what {@code catalog/error-bands.csv} holds. */
    public static ErrorBands fit(List<ValidationRun> runs) {
        List<ErrorBand> all = new ArrayList<>();
        for (ValidationRun run : runs) {
            all.addAll(fit(run.method(), residuals(run)));
        }
        return new ErrorBands(all);
    }

    /**
     * The bands of one method: for each metric (in {@link Metric} order), its wide default, then
     * one band per class with rows (sorted by runtime, device class and count, {@value BandClass#ANY} first).
     */
    public static List<ErrorBand> fit(String method, List<Residual> rows) {
        Map<BandClass, List<Residual>> groups = new HashMap<>();
        for (Residual r : rows) {
            for (BandClass c : r.cls().chain()) {
                groups.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
            }
        }
        Comparator<BandClass> order = Comparator.comparing(BandClass::runtime).thenComparing(BandClass::device)
                .thenComparing(BandClass::gpus);
        Map<String, List<BandClass>> byMetric = new TreeMap<>();
        groups.keySet().forEach(c -> byMetric.computeIfAbsent(c.metric(), k -> new ArrayList<>()).add(c));
        Map<Boolean, double[]> defaults = new HashMap<>();
        for (boolean memory : List.of(true, false)) {
            double f = memory ? MEMORY_FACTOR : SPEED_FACTOR;
            List<Double> kind = rows.stream().filter(r -> r.result().metric().usesMemory() == memory)
                    .map(Residual::error).toList();
            defaults.put(memory, kind.isEmpty() ? new double[] {1 / f - 1, f - 1} : new double[] {
                    Math.max(LOWEST_P10, Math.min(1 / f - 1, ErrorStats.percentile(kind, 0.1))),
                    Math.max(f - 1, ErrorStats.percentile(kind, 0.9))});
        }
        List<ErrorBand> out = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric.isClassification()) {
                continue;
            }
            double[] wide = defaults.get(metric.usesMemory());
            out.add(defaultBand(method, new BandClass(metric.id(), BandClass.ANY, BandClass.ANY, BandClass.ANY), 0, 0, wide));
            List<BandClass> classes = new ArrayList<>(byMetric.getOrDefault(metric.id(), List.of()));
            classes.sort(order);
            for (BandClass c : classes) {
                out.add(band(method, c, groups, wide));
            }
        }
        return out;
    }

    private static ErrorBand band(String method, BandClass c, Map<BandClass, List<Residual>> groups, double[] wide) {
        List<Residual> own = groups.get(c);
        for (BandClass f : c.chain()) {
            List<Residual> rows = groups.getOrDefault(f, List.of());
            if (rows.size() >= MIN_ROWS && sources(rows) >= MIN_SOURCES) {
                List<Double> errors = rows.stream().map(Residual::error).toList();
                List<Double> abs = errors.stream().map(Math::abs).toList();
                return new ErrorBand(method, c, f.equals(c) ? ErrorBand.Basis.OWN : ErrorBand.Basis.MERGED, own.size(),
                        sources(own), f, rows.size(), sources(rows),
                        Math.max(LOWEST_P10, ErrorStats.percentile(errors, 0.1)),
                        Math.max(LOWEST_P10, ErrorStats.percentile(errors, 0.9)), ErrorStats.percentile(abs, 0.5));
            }
        }
        return defaultBand(method, c, own.size(), sources(own), wide);
    }

    private static ErrorBand defaultBand(String method, BandClass c, int rows, int sources, double[] wide) {
        return new ErrorBand(method, c, ErrorBand.Basis.DEFAULT, rows, sources, null, 0, 0, wide[0], wide[1], Double.NaN);
    }

    private static int sources(List<Residual> rows) {
        Set<String> s = new HashSet<>();
        rows.forEach(r -> s.add(r.source()));
        return s.size();
    }

    /**
     * Every result's band made without its own source: for each predicted value row of {@code run},
     * the band of its class fitted on the residuals of {@code reference} less the rows of the same
     * source; null for the other rows. Aligned with {@code run.results()}. {@code reference} is the
     * same method's run on the bundled measurements (it may be {@code run} itself).
     */
    public static List<ErrorBand> heldOut(ValidationRun run, ValidationRun reference) {
        HeldOut held = new HeldOut(run.method(), reference);
        List<ErrorBand> out = new ArrayList<>();
        for (RowResult r : run.results()) {
            out.add(held.band(r));
        }
        return out;
    }

    /**
     * The held-out bands of {@link #heldOut}, one row at a time (a streamed file's rows, on any
     * thread): the bands without a source are fitted when a row of that source first asks, once; a
     * source the reference lacks gets the bands of the whole reference.
     */
    public static final class HeldOut {
        private final String method;
        private final List<Residual> reference;
        private final Set<String> sources = new HashSet<>();
        private final Map<String, ErrorBands> bySource = new ConcurrentHashMap<>();
        private final ErrorBands all;

        /** The held-out bands of {@code method} fitted on the residuals of {@code reference}. */
        public HeldOut(String method, ValidationRun reference) {
            this.method = method;
            this.reference = residuals(reference);
            this.reference.forEach(r -> sources.add(r.source()));
            this.all = new ErrorBands(fit(method, this.reference));
        }

        /** The band of a result made without its own source; null unless it is a predicted value row. */
        public ErrorBand band(RowResult r) {
            Residual x = residual(r);
            if (x == null) {
                return null;
            }
            ErrorBands bands;
            if (sources.contains(x.source())) {
                bands = bySource.computeIfAbsent(x.source(), s ->
                        new ErrorBands(fit(method, reference.stream().filter(y -> !y.source().equals(s)).toList())));
            } else {
                bands = all;
            }
            return bands.band(method, x.cls());
        }
    }

    /**
     * Held-out coverage per metric: of each metric's predicted value rows, how many lie inside the
     * band made without their source.
     *
     * @param metric    the metric id
     * @param rows      predicted value rows
     * @param inside    rows whose error lies within [p10, p90] of their held-out band
     * @param defaulted rows whose held-out band is the wide default
     */
    public record Coverage(String metric, int rows, int inside, int defaulted) {
        /** The share of rows inside their band (NaN for none). */
        public double share() {
            return rows == 0 ? Double.NaN : (double) inside / rows;
        }
    }

    /** The coverage per metric (in {@link Metric} order) of a run's held-out bands ({@link #heldOut}). */
    public static List<Coverage> coverage(ValidationRun run, List<ErrorBand> heldOut) {
        Map<Metric, int[]> counts = new TreeMap<>();
        for (int i = 0; i < run.results().size(); i++) {
            RowResult r = run.results().get(i);
            ErrorBand b = heldOut.get(i);
            if (b == null) {
                continue;
            }
            int[] c = counts.computeIfAbsent(r.metric(), k -> new int[3]);
            c[0]++;
            c[1] += inside(r, b) ? 1 : 0;
            c[2] += b.isDefault() ? 1 : 0;
        }
        List<Coverage> out = new ArrayList<>();
        counts.forEach((m, c) -> out.add(new Coverage(m.id(), c[0], c[1], c[2])));
        return out;
    }

    /** Whether a predicted row's measured value lies in its band: low ≤ measured ≤ high. */
    public static boolean inside(RowResult r, ErrorBand b) {
        double e = r.errorPct() / 100;
        return b.p10() <= e && e <= b.p90();
    }
}
