package gpupoor.validate;

import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvPool;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;
import gpupoor.catalog.BandClass;
import gpupoor.catalog.Catalog;
import gpupoor.args.ScenarioArgs;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicts every measurement of a file with one method and compares: the validation harness.
 * Works with any {@link Method}. Each row becomes a {@link RowScenario}; the method estimates it
 * and the estimate is mapped to the row's metric:
 * <ul>
 * <li>memory metrics: total (or weights) MiB divided by the device count: measured memory is per
 *     device, an estimate's memory is for the whole scenario;</li>
 * <li>a serving runtime's start-up budget, per device ({@link KvPool}): {@code activation_peak_mem},
 *     {@code non_torch_mem}, {@code kv_cache_mem} (MiB) and {@code kv_cache_tokens};</li>
 * <li>{@code decode_tok_s}: tokens/s of one sequence; {@code throughput_out_tok_s}: that times the batch;</li>
 * <li>{@code prompt_tok_s}: batch × prompt tokens over the prefill time; {@code ttft_ms}: the prefill time;</li>
 * <li>{@code train_ms_per_iter}: ms per iteration; {@code train_tok_s}: batch × sequence tokens per
 *     iteration time; {@code train_runtime_total}: iterations × ms per iteration;</li>
 * <li>{@code fits_in_memory}: 1 when the scenario fits as {@link Fit#check} judges it (the
 *     runtime's memory rule where the method models it, else the total against the devices'
 *     memory), else 0; {@code train_max_context}: the longest sequence that fits, found by
 *     {@link Fit#maxSequence} (0 when not even one token fits).</li>
 * </ul>
 * Where the method rejects a scenario the row is unsupported, with the method's message. Two
 * rewrites of the same scenario are tried before giving up, and noted when used: GGUF F16 weights
 * as unquantized 16-bit weights, and, for memory metrics, the estimate without the device (memory
 * does not need one).
 */
public final class Validator {
    private Validator() {
    }

    /** Predicts every row of {@code data} with {@code method} (on every core; the results in the rows' order). */
    public static ValidationRun run(Method method, MeasuredData data) {
        // rows are independent: predicted on every core, kept in the file's order
        List<RowResult> results = data.rows().parallelStream().map(m -> predict(method, m)).toList();
        return new ValidationRun(method.id(), data.name(), results,
                warnings(data.name(), data.missingColumns(), data.rows().isEmpty()));
    }

    /** The problems of a measurements file as a whole: no data rows, columns it lacks. */
    public static List<String> warnings(String name, List<String> missingColumns, boolean noRows) {
        List<String> warnings = new ArrayList<>();
        if (noRows) {
            warnings.add(name + " has a header but no data rows");
        }
        if (!missingColumns.isEmpty()) {
            warnings.add(name + " lacks the columns " + String.join(", ", missingColumns)
                    + "; rows that need them are reported as invalid");
        }
        return warnings;
    }

    /** Predicts the bundled measurements ({@code catalog/measured.csv}) with {@code method}. */
    public static ValidationRun run(Method method) {
        return run(method, MeasuredData.bundled());
    }

    /** Predicts one row. Never throws for a problem of the row; see {@link RowResult#status()}. */
    public static RowResult predict(Method method, Measurement m) {
        RowScenario rs;
        try {
            rs = RowScenario.of(m, Catalog.get());
        } catch (RowProblem p) {
            Metric metric = metricOrNull(m);
            Double measured = p.status() == Status.EXCLUDED ? numberOrNull(m.text("value_norm")) : null;
            return new RowResult(m, metric, p.status(), measured, null, null, p.getMessage(), null);
        }
        return predict(method, rs);
    }

    /**
     * Predicts a row already read into its scenario (a calibration fit predicts the same rows with many
     * calibrations and reads each once). Never throws for a problem of the row.
     */
    public static RowResult predict(Method method, RowScenario rs) {
        Measurement m = rs.measurement();
        List<String> failures = new ArrayList<>();
        for (Attempt a : attempts(rs)) {
            try {
                double predicted = value(method, rs, a.scenario());
                if (!Double.isFinite(predicted)) {
                    throw new InvalidScenarioException("the method gave a non-finite " + rs.metric().id());
                }
                List<String> notes = new ArrayList<>(rs.notes());
                if (a.note() != null) {
                    notes.add(a.note());
                }
                boolean value = !rs.metric().isClassification();
                Double error = value ? 100 * (predicted - rs.measured()) / rs.measured() : null;
                return new RowResult(m, rs.metric(), Status.OK, rs.measured(), predicted, error,
                        String.join("; ", notes), value ? BandClass.of(rs.metric().id(), rs.metric().usesMemory(),
                        rs.scenario()) : null);
            } catch (InvalidScenarioException e) {
                String message = e.in(ScenarioArgs.STYLE).getMessage();
                if (failures.stream().noneMatch(f -> f.endsWith(message))) {
                    failures.add((a.note() == null ? "" : a.note() + ": ") + message);
                }
            } catch (RuntimeException e) {
                // a failure of the method itself (a bug): this row's, reported with it; the other rows go on
                return new RowResult(m, rs.metric(), Status.INVALID, rs.measured(), null, null, m.where()
                        + ": the " + method.id() + " method failed on this row (a bug; please report it)"
                        + (e instanceof IllegalStateException && e.getMessage() != null ? ": " + e.getMessage() : ""), null);
            }
        }
        return new RowResult(m, rs.metric(), Status.UNSUPPORTED, rs.measured(), null, null,
                method.id() + ": " + String.join(" | ", failures), null);
    }

    /** A scenario to try and the note that says how it differs from the row's. */
    private record Attempt(Scenario scenario, String note) {
    }

    private static List<Attempt> attempts(RowScenario rs) {
        Scenario s = rs.scenario();
        List<Attempt> list = new ArrayList<>();
        list.add(new Attempt(s, null));
        if (s.quant() == Quant.GGUF_F16 && s.framework() == Framework.LLAMA_CPP) {
            list.add(new Attempt(s.withQuant(Quant.NONE), "gguf-F16 estimated as unquantized 16-bit weights"));
        }
        if (rs.metric().usesMemory() && s.device() != null) {
            for (Attempt a : List.copyOf(list)) {
                list.add(new Attempt(a.scenario().withDevice(null), (a.note() == null ? "" : a.note() + "; ")
                        + "memory estimated without the device"));
            }
        }
        return list;
    }

    /** The metric's prediction for one scenario; InvalidScenarioException when the estimate lacks it. */
    private static double value(Method method, RowScenario rs, Scenario s) {
        int devices = s.deviceCount();
        int batch = s.workload().batch();
        return switch (rs.metric()) {
            case MEM_INFERENCE, MEM_TRAINING -> memory(method.estimate(s)).totalMiB() / devices;
            case MEM_WEIGHTS -> memory(method.estimate(s)).weightsMiB() / devices;
            case ACTIVATION_PEAK_MEM -> pool(method.estimate(s)).activationPeakMiB();
            case NON_TORCH_MEM -> pool(method.estimate(s)).nonTorchMiB();
            case KV_CACHE_MEM -> pool(method.estimate(s)).kvCacheMiB();
            case KV_CACHE_TOKENS -> pool(method.estimate(s)).kvCacheTokens();
            case DECODE_TOK_S -> speed(method.estimate(s)).tokensPerSecond();
            case THROUGHPUT_OUT_TOK_S -> speed(method.estimate(s)).tokensPerSecond() * batch;
            case PROMPT_TOK_S -> batch * (double) s.workload().promptTokens() / speed(method.estimate(s)).promptSeconds();
            case TTFT_MS -> speed(method.estimate(s)).promptSeconds() * 1000;
            case TRAIN_MS_PER_ITER -> training(method.estimate(s)).msPerIteration();
            case TRAIN_TOK_S -> batch * (double) s.workload().promptTokens() * 1000
                    / training(method.estimate(s)).msPerIteration();
            case TRAIN_RUNTIME_TOTAL -> rs.iterations() * training(method.estimate(s)).msPerIteration();
            case FITS_IN_MEMORY -> fits(fit(method, rs, s), s) ? 1 : 0;
            case TRAIN_MAX_CONTEXT -> longestSequence(fit(method, rs, s), s);
        };
    }

    /**
     * The fit judge for an attempt: the row's device as the catalog describes it, or, for an attempt
     * estimated without the device, the row's device memory given to {@link Fit#withDeviceMemoryMiB}.
     */
    private static Fit fit(Method method, RowScenario rs, Scenario s) {
        double capacity = rs.capacityMiB();
        if (!(capacity > 0)) {
            throw new InvalidScenarioException("device " + rs.scenario().device().id()
                    + " has no memory size in the catalog to compare with");
        }
        Fit fit = Fit.of(method);
        return s.device() == null ? fit.withDeviceMemoryMiB(capacity / s.deviceCount()) : fit;
    }

    /** Whether {@code s} fits; {@link #fit} made sure the memory size is known, so the check has a verdict. */
    private static boolean fits(Fit fit, Scenario s) {
        return fit.check(s).fits();
    }

    /** The longest fine-tuning sequence that fits ({@link Fit#maxSequence}), 0 when not even one token does. */
    private static int longestSequence(Fit fit, Scenario s) {
        Fit.Result<Integer> r = fit.maxSequence(s);
        return r.found() ? r.value() : 0;
    }

    private static MemoryBreakdown memory(Estimate e) {
        if (e.memory() == null) {
            throw new InvalidScenarioException(missing(e, "memory"));
        }
        return e.memory();
    }

    /** A serving runtime's start-up budget; InvalidScenarioException when the estimate has none. */
    private static KvPool pool(Estimate e) {
        if (e.budget() == null || e.budget().pool() == null) {
            throw new InvalidScenarioException(e.budget() == null ? missing(e, "memory budget")
                    : "the runtime sizes no KV pool at start-up (the metric is a pooled runtime's, such as vLLM's)");
        }
        return e.budget().pool();
    }

    private static Speed speed(Estimate e) {
        if (e.speed() == null) {
            throw new InvalidScenarioException(missing(e, "speed"));
        }
        return e.speed();
    }

    private static TrainingTime training(Estimate e) {
        if (e.training() == null) {
            throw new InvalidScenarioException(missing(e, "training time"));
        }
        return e.training();
    }

    private static String missing(Estimate e, String what) {
        return "no " + what + " estimate" + (e.notes().isEmpty() ? "" : " (" + String.join("; ", e.notes()) + ")");
    }

    private static Metric metricOrNull(Measurement m) {
        try {
            return Metric.parse(m.metric());
        } catch (InvalidScenarioException e) {
            return null;
        }
    }

    private static Double numberOrNull(String text) {
        try {
            return text.isEmpty() ? null : Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
