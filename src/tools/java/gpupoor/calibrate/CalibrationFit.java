package gpupoor.calibrate;

import gpupoor.calc.accurate.Calibration;
import gpupoor.calc.accurate.DefaultMethod;
import gpupoor.calc.accurate.DeviceClass;
import gpupoor.calc.Hardware;
import gpupoor.calc.Methods;
import gpupoor.catalog.Catalog;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.Measurement;
import gpupoor.validate.RowResult;
import gpupoor.validate.RowScenario;
import gpupoor.validate.Validator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Fits the default method's efficiencies on the bundled measurements and prints what it found:
 * the tool behind {@code catalog/calibration.csv} (see {@code catalog/calibration.md}).
 * <p>
 * Each group of parameters is fitted on its own rows (e.g. llama.cpp decode on GDDR GPUs) by
 * coordinate descent from the middle of each range (a scan of its logarithm, then golden-section
 * search around the best value), minimizing the
 * mean absolute log error of the predictions (a robust, scale-free loss). Rows are split for an
 * honest check: {@code --holdout device} fits each group on every other device of its rows (sorted ids)
 * and reports the others; {@code --holdout source} fits on the May 2024 LLaMA 3 tables and reports every other
 * source; {@code --holdout none} fits on everything (what the bundled calibration uses).
 * <p>
 * Run: {@code scripts/fit-calibration.sh [--holdout device|source|none] [--only GROUP-PREFIX]} (e.g.
 * {@code --only fine-tuning} fits only the groups whose name starts so).
 */
public final class CalibrationFit {

    private CalibrationFit() {
    }

    /** A fitted value: its calibration key and search range. */
    record Param(String parameter, String framework, String device, double lo, double hi) {
        String key() {
            return parameter + "|" + framework + "|" + device;
        }
    }

    /** Parameters fitted together on the rows they explain. */
    record Group(String name, Predicate<Measurement> rows, List<Param> params) {
    }

    /** Entry point. */
    public static void main(String[] args) {
        String holdout = "device";
        String only = "";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--holdout") && i + 1 < args.length) {
                holdout = args[++i];
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
            }
        }
        String prefix = only;
        List<Measurement> all = MeasuredData.bundled().rows();
        Calibration cal = ((DefaultMethod) Methods.DEFAULT).calibration();
        for (Group g : groups()) {
            if (!g.name().startsWith(prefix)) {
                continue;
            }
            for (Param p : g.params()) {
                cal = set(cal, p, Math.sqrt(p.lo() * p.hi()));
            }
        }
        java.util.Map<String, List<Measurement>> checked = new java.util.TreeMap<>();
        java.util.Map<String, List<Measurement>> fitted = new java.util.TreeMap<>();
        for (Group g : groups()) {
            if (!g.name().startsWith(prefix)) {
                continue;
            }
            Predicate<Measurement> train = split(holdout, all.stream().filter(g.rows()).toList());
            List<Measurement> fitRows = all.stream().filter(g.rows()).filter(train).toList();
            List<Measurement> checkRows = all.stream().filter(g.rows()).filter(train.negate()).toList();
            if (count(cal, fitRows) == 0) {
                fitRows = all.stream().filter(g.rows()).toList();
                checkRows = List.of();
            }
            if (count(cal, fitRows) == 0) {
                System.out.printf("%-34s no rows to fit%n", g.name());
                continue;
            }
            for (int round = 0; round < 10; round++) {
                for (Param p : g.params()) {
                    cal = fitOne(cal, p, fitRows);
                }
            }
            String metric = g.name().replaceAll(" .*", "") + " " + g.name().replaceAll("^\\S+ (\\S+).*", "$1");
            checked.computeIfAbsent(metric, k -> new ArrayList<>()).addAll(checkRows);
            fitted.computeIfAbsent(metric, k -> new ArrayList<>()).addAll(fitRows);
            StringBuilder values = new StringBuilder();
            for (Param p : g.params()) {
                values.append(String.format(Locale.ROOT, " %s=%.4g", p.key(), cal.entries().get(p.key()).value()));
            }
            System.out.printf(Locale.ROOT, "%-34s fit n=%3d median |err| %5.1f%%  check n=%3d median |err| %5.1f%% |%s%n",
                    g.name(), count(cal, fitRows), medianAbsPct(cal, fitRows), count(cal, checkRows),
                    medianAbsPct(cal, checkRows), values);
        }
        System.out.println();
        System.out.println("by kind of row (all groups together), median |error| on the fitted and on the held-out rows:");
        for (String k : fitted.keySet()) {
            System.out.printf(Locale.ROOT, "  %-22s fit n=%3d %5.1f%%   held out n=%3d %5.1f%%%n", k, count(cal, fitted.get(k)),
                    medianAbsPct(cal, fitted.get(k)), count(cal, checked.get(k)), medianAbsPct(cal, checked.get(k)));
        }
        System.out.println();
        System.out.println("parameter,framework,device,value");
        for (Group g : groups()) {
            if (!g.name().startsWith(prefix)) {
                continue;
            }
            for (Param p : g.params()) {
                System.out.printf(Locale.ROOT, "%s,%s,%s,%.4g%n", p.parameter(), p.framework(), p.device(),
                        cal.entries().get(p.key()).value());
            }
        }
    }

    /** The rows to fit on among a group's rows; the others are the check set. */
    static Predicate<Measurement> split(String holdout, List<Measurement> all) {
        switch (holdout) {
            case "none":
                return m -> true;
            case "source":
                return m -> m.text("source").contains("May 2024 LLaMA 3");
            case "device": {
                List<String> ids = new ArrayList<>(new TreeSet<>(all.stream().map(m -> m.text("hardware_id"))
                        .filter(s -> !s.isEmpty()).toList()));
                Collections.sort(ids);
                List<String> fit = new ArrayList<>();
                for (int i = 0; i < ids.size(); i += 2) {
                    fit.add(ids.get(i));
                }
                return m -> fit.contains(m.text("hardware_id")) || m.text("hardware_id").isEmpty();
            }
            default:
                throw new IllegalArgumentException("--holdout must be device, source or none, got " + holdout);
        }
    }

    private static List<Group> groups() {
        List<Group> g = new ArrayList<>();
        for (DeviceClass d : List.of(DeviceClass.GPU_GDDR, DeviceClass.GPU_HBM, DeviceClass.APPLE_GPU)) {
            List<Param> decode = new ArrayList<>(List.of(
                    new Param("decode_bw_eff", "llama.cpp", d.id(), 0.2, 1.0),
                    new Param("decode_layer_us", "llama.cpp", d.id(), 1, 400),
                    new Param("decode_attn_eff", "llama.cpp", d.id(), 0.0005, 0.5)));
            if (d == DeviceClass.APPLE_GPU) {
                decode.add(new Param("decode_flops_eff_quant", "llama.cpp", d.id(), 0.005, 1.0));
            }
            g.add(new Group("llama.cpp decode " + d.id(), rows("decode_tok_s", "llama.cpp", d, true), decode));
            List<Param> prefill = new ArrayList<>(List.of(
                    new Param("prefill_flops_eff", "llama.cpp", d.id(), 0.05, 1.5),
                    new Param("prefill_flops_eff_quant", "llama.cpp", d.id(), 0.05, 1.5),
                    new Param("prefill_attn_eff", "llama.cpp", d.id(), 0.01, 1.5)));
            g.add(new Group("llama.cpp prefill " + d.id(), rows("prompt_tok_s", "llama.cpp", d, true), prefill));
        }
        g.add(new Group("llama.cpp decode, layer split", rows("decode_tok_s", "llama.cpp", null, false)
                .and(m -> !m.text("notes_norm").contains("pre-Jan-2024") && !m.text("settings").contains("--split-mode")),
                List.of(new Param("hop_us", "llama.cpp", "*", 1, 5000))));
        g.add(new Group("llama.cpp decode, row split", rows("decode_tok_s", "llama.cpp", null, false)
                .and(m -> m.text("notes_norm").contains("pre-Jan-2024") || m.text("settings").contains("--split-mode row")),
                List.of(new Param("row_split_us", "llama.cpp", "*", 1, 1000),
                        new Param("row_split_gpu_us", "llama.cpp", "*", 0.5, 500))));
        for (DeviceClass d : List.of(DeviceClass.CPU, DeviceClass.APPLE_CPU)) {
            g.add(new Group("llama.cpp decode " + d.id(), rows("decode_tok_s", "llama.cpp", d, true),
                    List.of(new Param("decode_bw_eff", "llama.cpp", d.id(), 0.1, 1.0),
                            new Param("cpu_sync_us", "llama.cpp", d.id(), 0.1, 200))));
            g.add(new Group("llama.cpp prefill " + d.id(), rows("prompt_tok_s", "llama.cpp", d, true),
                    List.of(new Param("prefill_flops_eff", "llama.cpp", d.id(), 0.01, 2.0),
                            new Param("prefill_flops_eff_quant", "llama.cpp", d.id(), 0.01, 2.0))));
        }
        g.add(new Group("exllama decode", m -> m.metric().equals("decode_tok_s") && m.frameworkId().equals("exllama"),
                List.of(new Param("decode_bw_eff", "exllama", "*", 0.2, 1.0), new Param("decode_layer_us", "exllama", "*", 1, 400))));
        g.add(new Group("exllama prefill", m -> m.metric().equals("prompt_tok_s") && m.frameworkId().equals("exllama"),
                List.of(new Param("prefill_flops_eff_quant", "exllama", "*", 0.05, 1.5))));
        g.add(new Group("vllm profile", m -> m.metric().equals("activation_peak_mem") && m.frameworkId().equals("vllm"),
                List.of(new Param("vllm_sampler_bytes", "vllm", "*", 10, 100))));
        g.add(new Group("vllm non-torch", m -> m.metric().equals("non_torch_mem") && m.frameworkId().equals("vllm"),
                List.of(new Param("vllm_non_torch_legacy_mib", "vllm", "*", 100, 5000))));
        g.add(new Group("llama.cpp prefill, layer split", rows("prompt_tok_s", "llama.cpp", null, false),
                List.of(new Param("hop_gbs", "llama.cpp", "*", 0.5, 100))));
        g.add(new Group("hf decode", m -> m.metric().equals("decode_tok_s") && isPyTorch(m),
                List.of(new Param("dispatch_us", "hf", "*", 20, 3000), new Param("bnb_layer_us", "hf", "*", 1, 3000),
                        new Param("gptq_layer_us", "hf", "*", 1, 3000))));
        g.add(new Group("hf generate memory", m -> m.metric().equals("mem_inference") && m.frameworkId().equals("hf"),
                List.of(new Param("hf_kv_growth", "hf", "*", 1, 3), new Param("cuda_context_mib", "hf", "*", 100, 3000))));
        // fine-tuning: memory on one GPU and time; the longest trainable context (train_max_context) is never fitted
        g.add(new Group("fine-tuning memory", m -> m.metric().equals("mem_training") && m.text("n_devices").equals("1"),
                List.of(new Param("train_overhead_mib", "*", "*", 10, 3000))));
        g.add(new Group("fine-tuning time", m -> List.of("train_ms_per_iter", "train_tok_s", "train_runtime_total")
                .contains(m.metric()), List.of(new Param("train_flops_eff", "*", "*", 0.05, 1.0))));
        return g;
    }

    private static boolean isPyTorch(Measurement m) {
        return List.of("hf", "litgpt", "torchtune").contains(m.frameworkId());
    }

    /** Rows of one metric and framework on one device class, single-device ({@code single}) or multi-device. */
    private static Predicate<Measurement> rows(String metric, String framework, DeviceClass d, boolean single) {
        return m -> {
            if (!m.metric().equals(metric) || !m.frameworkId().equals(framework)) {
                return false;
            }
            String n = m.text("n_devices");
            boolean one = n.isEmpty() || n.equals("1");
            if (one != single) {
                return false;
            }
            if (d == null) {
                return true;
            }
            String id = m.text("hardware_id");
            if (id.isEmpty()) {
                return false;
            }
            Hardware h = Catalog.get().hardware(id);
            return DeviceClass.of(h, m.backend().equals("cpu")) == d;
        };
    }

    /** A coarse scan of 24 log-spaced values, then golden-section search around the best one. */
    private static Calibration fitOne(Calibration cal, Param p, List<Measurement> rows) {
        int steps = 24;
        double lo = Math.log(p.lo());
        double hi = Math.log(p.hi());
        double step = (hi - lo) / steps;
        int best = 0;
        double bestLoss = Double.MAX_VALUE;
        for (int i = 0; i <= steps; i++) {
            double l = loss(set(cal, p, Math.exp(lo + i * step)), rows);
            if (l < bestLoss) {
                bestLoss = l;
                best = i;
            }
        }
        double a = lo + Math.max(0, best - 1) * step;
        double b = lo + Math.min(steps, best + 1) * step;
        double phi = (Math.sqrt(5) - 1) / 2;
        double x1 = b - phi * (b - a);
        double x2 = a + phi * (b - a);
        double f1 = loss(set(cal, p, Math.exp(x1)), rows);
        double f2 = loss(set(cal, p, Math.exp(x2)), rows);
        for (int i = 0; i < 20; i++) {
            if (f1 < f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - phi * (b - a);
                f1 = loss(set(cal, p, Math.exp(x1)), rows);
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + phi * (b - a);
                f2 = loss(set(cal, p, Math.exp(x2)), rows);
            }
        }
        Calibration refined = set(cal, p, Math.exp((a + b) / 2));
        Calibration scanned = set(cal, p, Math.exp(lo + best * step));
        Calibration pick = loss(refined, rows) <= loss(scanned, rows) ? refined : scanned;
        return loss(pick, rows) <= loss(cal, rows) ? pick : cal;
    }

    private static Calibration set(Calibration cal, Param p, double v) {
        return cal.with(Calibration.Param.parse(p.parameter()), p.framework(), p.device(), v);
    }

    /** Rows read into scenarios once (null where the row cannot be read): the fit predicts them many times. */
    private static final java.util.Map<Measurement, java.util.Optional<RowScenario>> READ = new java.util.IdentityHashMap<>();

    private static java.util.Optional<RowScenario> read(Measurement m) {
        return READ.computeIfAbsent(m, k -> {
            try {
                return java.util.Optional.of(RowScenario.of(k, Catalog.get()));
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        });
    }

    private static List<RowResult> predict(Calibration cal, List<Measurement> rows) {
        DefaultMethod method = new DefaultMethod(cal);
        List<RowResult> out = new ArrayList<>();
        for (Measurement m : rows) {
            java.util.Optional<RowScenario> rs = read(m);
            if (rs.isEmpty()) {
                continue;
            }
            RowResult r = Validator.predict(method, rs.get());
            if (r.isOk() && r.errorPct() != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static double loss(Calibration cal, List<Measurement> rows) {
        List<RowResult> res = predict(cal, rows);
        if (res.isEmpty()) {
            return Double.MAX_VALUE;
        }
        double sum = 0;
        for (RowResult r : res) {
            sum += Math.abs(Math.log(r.predicted() / r.measured()));
        }
        return sum / res.size();
    }

    private static int count(Calibration cal, List<Measurement> rows) {
        return predict(cal, rows).size();
    }

    private static double medianAbsPct(Calibration cal, List<Measurement> rows) {
        List<Double> errors = new ArrayList<>();
        for (RowResult r : predict(cal, rows)) {
            errors.add(Math.abs(r.errorPct()));
        }
        if (errors.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(errors);
        int n = errors.size();
        return n % 2 == 1 ? errors.get(n / 2) : (errors.get(n / 2 - 1) + errors.get(n / 2)) / 2;
    }
}
