package gpupoor.catalog;

import gpupoor.calc.Estimate;
import gpupoor.calc.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far off each figure of an estimate may be: for every figure the estimate has, the range in
 * which the measured value likely lies (8 cases in 10, on the bundled measurements), from the
 * error band of the figure's class ({@link ErrorBands}). Example: {@code Uncertainty.of(scenario,
 * estimate).range(Figure.TOTAL)} is "17.2 GiB, likely 16.8–17.9".
 */
public final class Uncertainty {

    /** A figure of an estimate that has an error band, with the seed key it is shown under and the metric measured for it. */
    public enum Figure {
        /** Total memory ({@code mem_inference}, or {@code mem_training} in fine-tuning). */
        TOTAL("memory", "Total"),
        /** Weights ({@code mem_weights}). */
        MODEL_SIZE("memory", "Model Size"),
        /** Decode tokens/s of one sequence ({@code decode_tok_s}). */
        TOKENS_PER_SECOND("speed", "Token per second"),
        /** Milliseconds per decode step: the reciprocal of {@code decode_tok_s}. */
        MS_PER_TOKEN("speed", "ms per token"),
        /** Seconds to process the prompt: the reciprocal of {@code prompt_tok_s}. */
        PROMPT_SECONDS("speed", "Prompt process time (s)"),
        /** Milliseconds per fine-tuning iteration ({@code train_ms_per_iter}). */
        MS_PER_ITERATION("training", "ms per iteration (forward + backward)");

        private final String part;
        private final String key;

        Figure(String part, String key) {
            this.part = part;
            this.key = key;
        }

        /** The seed object the figure is in: {@code memory}, {@code speed} or {@code training}. */
        public String part() {
            return part;
        }

        /** Its key in the seed object, e.g. {@code Total}. */
        public String key() {
            return key;
        }

        /** The measured metric whose errors make the band. */
        public String metric(boolean training) {
            return switch (this) {
                case TOTAL -> training ? "mem_training" : "mem_inference";
                case MODEL_SIZE -> "mem_weights";
                case TOKENS_PER_SECOND, MS_PER_TOKEN -> "decode_tok_s";
                case PROMPT_SECONDS -> "prompt_tok_s";
                case MS_PER_ITERATION -> "train_ms_per_iter";
            };
        }

        /** Whether it is a memory figure (its class has no device class: see {@link BandClass}). */
        public boolean memory() {
            return this == TOTAL || this == MODEL_SIZE;
        }

        /** Whether the figure is the reciprocal of its metric (a time where a rate was measured). */
        public boolean inverse() {
            return this == MS_PER_TOKEN || this == PROMPT_SECONDS;
        }

        /** The figure's value in an estimate, or null when the estimate lacks the part. */
        public Double value(Estimate e) {
            return switch (this) {
                case TOTAL -> e.memory() == null ? null : e.memory().totalMiB();
                case MODEL_SIZE -> e.memory() == null ? null : e.memory().weightsMiB();
                case TOKENS_PER_SECOND -> e.speed() == null ? null : e.speed().tokensPerSecond();
                case MS_PER_TOKEN -> e.speed() == null ? null : e.speed().msPerToken();
                case PROMPT_SECONDS -> e.speed() == null ? null : e.speed().promptSeconds();
                case MS_PER_ITERATION -> e.training() == null ? null : e.training().msPerIteration();
            };
        }
    }

    /**
     * A figure with the range its measured value likely lies in.
     *
     * @param figure the figure
     * @param value  the estimate's value
     * @param low    the low end of the likely range
     * @param high   the high end
     * @param band   the band it comes from (its class, rows, and a note when merged or the wide default)
     */
    public record Range(Figure figure, double value, double low, double high, ErrorBand band) {

        /** The range of {@code value} under {@code band}, which is for the figure's metric (reciprocal for times). */
        public static Range of(Figure figure, double value, ErrorBand band) {
            return figure.inverse()
                    ? new Range(figure, value, value * (1 + band.p10()), value * (1 + band.p90()), band)
                    : new Range(figure, value, band.low(value), band.high(value), band);
        }

        /** The range of {@code k} times the figure (the throughput of a batch from the tokens/s of a sequence). */
        public Range times(double k) {
            return new Range(figure, value * k, low * k, high * k, band);
        }

        /** Whether {@code x} lies in the range. */
        public boolean contains(double x) {
            return low <= x && x <= high;
        }

        /** E.g. {@code Total 5,090, likely 5,003–5,154 (band of mem_inference · any runtime, 36 rows)}. */
        @Override
        public String toString() {
            String from = band.isDefault() ? band.note()
                    : "band of " + band.from().label() + ", " + band.bandRows() + " rows";
            return String.format(Locale.ROOT, "%s %s, likely %s–%s (%s)", figure.key(), number(value), number(low),
                    number(high), from);
        }

        private static String number(double x) {
            return Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%.3g", x);
        }
    }

    /** Whether a setup fits in memory, given how far off its memory estimate may be. */
    public enum Verdict {
        /** Even the high end of the likely memory fits. */
        FITS("fits"),
        /** The memory available lies inside the likely range, or the range and the estimate disagree. */
        MAY_NOT_FIT("may not fit"),
        /** Even the low end does not fit. */
        DOES_NOT_FIT("does not fit");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** {@code fits}, {@code may not fit} or {@code does not fit}. */
        public String text() {
            return text;
        }
    }

    private final List<Range> ranges;

    private Uncertainty(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** The ranges of an estimate of a scenario, from the bundled bands. */
    public static Uncertainty of(Scenario s, Estimate e) {
        return of(s, e, ErrorBands.bundled());
    }

    /** The ranges of an estimate of a scenario, from the given bands; a figure whose method or metric the table lacks has none. */
    public static Uncertainty of(Scenario s, Estimate e, ErrorBands bands) {
        List<Range> ranges = new ArrayList<>();
        for (Figure f : Figure.values()) {
            Double v = f.value(e);
            ErrorBand b = v == null ? null : band(bands, e.method(), f, s);
            if (b != null) {
                ranges.add(Range.of(f, v, b));
            }
        }
        return new Uncertainty(ranges);
    }

    /** The band of one figure of a method's estimate of a scenario (null when the table lacks the method or metric). */
    public static ErrorBand band(ErrorBands bands, String method, Figure f, Scenario s) {
        return Key.of(method, s).band(bands, f);
    }

    /**
     * What the bands of a method's estimates depend on: the mode, the runtime, the device class and
     * the device count. Scenarios with the same key share their bands (a sweep looks them up once per key).
     *
     * @param method   the method's id
     * @param training whether it is a fine-tuning estimate
     * @param cls      the runtime, device class and count (metric {@value BandClass#ANY})
     */
    public record Key(String method, boolean training, BandClass cls) {
        /** The key of a method's estimate of a scenario. */
        public static Key of(String method, Scenario s) {
            return new Key(method, s.workload().isTraining(), BandClass.of(BandClass.ANY, false, s));
        }

        /**
         * Whether two scenarios surely have the same key ({@link #of}), judged by the identity of
         * what it is made of: the points of a sweep mostly share these objects, and this costs a
         * few comparisons where a key costs objects and hashing.
         */
        public static boolean sameInputs(Scenario a, Scenario b) {
            return a.framework() == b.framework() && a.device() == b.device() && a.deviceCount() == b.deviceCount()
                    && a.options() == b.options() && a.workload().isTraining() == b.workload().isTraining();
        }

        /** The band of one figure (null when the table lacks the method or metric). */
        public ErrorBand band(ErrorBands bands, Figure f) {
            return bands.band(method, cls.forMetric(f.metric(training), f.memory()));
        }

        // written out for C1, as BandClass's

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && training == k.training && method.equals(k.method) && cls.equals(k.cls);
        }

        @Override
        public int hashCode() {
            return (method.hashCode() * 31 + Boolean.hashCode(training)) * 31 + cls.hashCode();
        }
    }

    /** Every figure's range, in {@link Figure} order. */
    public List<Range> ranges() {
        return ranges;
    }

    /** The range of one figure, or null when the estimate lacks it (or no band applies). */
    public Range range(Figure f) {
        return ranges.stream().filter(r -> r.figure() == f).findFirst().orElse(null);
    }

    /**
     * The fit verdict of a setup that {@code fits} (as the method judges it: {@code neededMiB} on
     * {@code capacityMiB}), widened by the total memory's band: "fits" when it fits and the capacity
     * also holds the band's high end, "does not fit" when it does not and the capacity is below the
     * band's low end too, "may not fit" otherwise. Without a band, the method's verdict.
     */
    public Verdict verdict(boolean fits, double neededMiB, double capacityMiB) {
        Range total = range(Figure.TOTAL);
        return verdict(fits, neededMiB, capacityMiB, total == null ? null : total.band());
    }

    /** As {@link #verdict(boolean, double, double)} with the band given (null for none). */
    public static Verdict verdict(boolean fits, double neededMiB, double capacityMiB, ErrorBand band) {
        if (fits) {
            return band == null || band.high(neededMiB) <= capacityMiB ? Verdict.FITS : Verdict.MAY_NOT_FIT;
        }
        return band == null || band.low(neededMiB) > capacityMiB ? Verdict.DOES_NOT_FIT : Verdict.MAY_NOT_FIT;
    }
}
