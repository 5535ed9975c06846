package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvPool;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;
import gpupoor.calc.Workload;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.Uncertainty;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The estimate of one {@link Setup}: its memory breakdown, whether it fits on the device, and its
 * speed (inference) or time per iteration (fine-tuning), with the method's notes, and for each
 * figure the range its measured value likely lies in ({@link #range}: "17.2 GiB, likely
 * 16.8–17.9", from the errors on published measurements of its class). Shows as a table and a
 * stacked bar of memory against the device's capacity in a notebook, and as a text table in jshell.
 */
public final class Report implements Displayable {

    private final Setup setup;
    private final Estimate estimate;
    private final Fit.Check check;
    private final Uncertainty uncertainty;

    Report(Setup setup, Estimate estimate) {
        this.setup = setup;
        this.estimate = estimate;
        this.check = estimate.memory() == null ? null : Fit.of(setup.method()).check(setup.scenario(), estimate);
        this.uncertainty = Uncertainty.of(setup.scenario(), estimate);
    }

    /** The setup estimated. */
    public Setup setup() {
        return setup;
    }

    /** The engine's estimate, with its notes and assumptions. */
    public Estimate estimate() {
        return estimate;
    }

    /** The memory breakdown in MiB, or null when the method gives none for this setup (see the notes). */
    public MemoryBreakdown memory() {
        return estimate.memory();
    }

    /** Inference speed, or null (fine-tuning, no device, or not estimated; see the notes). */
    public Speed speed() {
        return estimate.speed();
    }

    /** Time per fine-tuning iteration, or null (inference, no GPU, or not estimated). */
    public TrainingTime training() {
        return estimate.training();
    }

    /**
     * The most sequences of this length that run at once: a serving runtime's KV pool (vLLM's "maximum
     * concurrency", capped by its {@code max_num_seqs}), else what fits beside the weights; null
     * without a device or when nothing fits. Example: {@code model("meta-llama/Llama-3.1-8B").framework(VLLM).on(gpu("l40s")).estimate().maxConcurrency()}.
     */
    public Integer maxConcurrency() {
        return estimate.budget() == null ? null : estimate.budget().maxConcurrency();
    }

    /**
     * A serving runtime's start-up budget per GPU, term by term (weights, activation peak, non-torch memory,
     * CUDA graphs, the KV pool and its tokens); null for runtimes without a pool.
     * Example: {@code model("meta-llama/Llama-3.1-8B").framework(VLLM).on(gpu("l40s")).estimate().kvPool().kvCacheTokens()}.
     */
    public KvPool kvPool() {
        return estimate.budget() == null ? null : estimate.budget().pool();
    }

    /**
     * Host memory in MiB beside the device(s): what the runtime allocates there plus what it maps from the
     * model file (0 when it keeps nothing there). Example: {@code model("meta-llama/Llama-3.2-1B").quant(Q4_K_M).on(cpu("ryzen-9-7950x")).estimate().hostMiB()}.
     */
    public double hostMiB() {
        MemoryBreakdown m = estimate.memory();
        return m == null ? 0 : m.hostMiB();
    }

    /** Whether it fits in the device's memory; null without a device or a known capacity. */
    public Boolean fits() {
        return check == null ? null : check.fits();
    }

    /**
     * The verdict with the memory estimate's error band: {@code "fits"} (even the high end of the
     * likely memory fits), {@code "does not fit"} (not even the low end does), or {@code "may not fit"}
     * (the device's memory lies inside the likely range); null without a device or a known capacity.
     * Example: {@code fits(s).maxContext().atLimit().estimate().verdict()} is {@code "may not fit"}.
     */
    public String verdict() {
        return check == null || check.fits() == null ? null
                : uncertainty.verdict(check.fits(), check.neededMiB(), check.capacityMiB()).text();
    }

    /**
     * How far off each figure may be: the ranges of every figure that has an error band, each with
     * the class, rows and sources behind it. Example: {@code s.estimate().uncertainty().ranges()}.
     */
    public Uncertainty uncertainty() {
        return uncertainty;
    }

    /**
     * The range a figure's measured value likely lies in (8 cases in 10 on the published
     * measurements of its class: see {@code catalog/calibration.md}), in the figure's unit: MiB for
     * {@code MEMORY} (the total), tokens/s for {@code TOKENS_PER_SECOND} and {@code THROUGHPUT}, ms
     * for {@code MS_PER_TOKEN} and {@code MS_PER_ITERATION}, seconds for {@code PROMPT_SECONDS}.
     * {@code low()} and {@code high()} are its ends, {@code band().note()} says when it is a wide
     * default (no measurement of the class). Example: {@code s.estimate().range(MEMORY).high() < 24 * 1024}.
     *
     * @throws InvalidScenarioException for {@code GPUS_NEEDED} (a count, no range), or a figure the setup has no estimate of
     */
    public Uncertainty.Range range(Metric metric) {
        Uncertainty.Figure figure = metric.figure();
        if (figure == null) {
            throw new InvalidScenarioException(metric + " is a count and has no range; ranges exist for MEMORY, "
                    + "TOKENS_PER_SECOND, THROUGHPUT, MS_PER_TOKEN, PROMPT_SECONDS and MS_PER_ITERATION");
        }
        switch (figure) {
            case TOTAL -> requireMemory();
            case MS_PER_ITERATION -> msPerIteration();
            default -> requireSpeed();
        }
        Uncertainty.Range r = uncertainty.range(figure);
        if (r == null) {
            throw new InvalidScenarioException("no error bands for the " + setup.method().id()
                    + " method's estimates; catalog/error-bands.csv has them for the default and gpu-poor methods");
        }
        return metric == Metric.THROUGHPUT ? r.times(setup.workload().batch()) : r;
    }

    /**
     * Memory of the device(s) in MiB that the verdict compares with: what the runtime may use where
     * the method models its memory rule (see {@link Fit.Check#runtimeLimit()}), else all of it; NaN
     * when unknown.
     */
    public double capacityMiB() {
        return check == null ? Double.NaN : check.capacityMiB();
    }

    /**
     * Everything the setup needs in memory, MiB (all its devices together). Example:
     * {@code model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).estimate().totalMiB()}.
     *
     * @throws InvalidScenarioException when the method gives no memory breakdown (the message says why)
     */
    public double totalMiB() {
        return requireMemory().totalMiB();
    }

    /** {@link #totalMiB()} in GiB. Example: {@code s.estimate().totalGiB() < 24}. */
    public double totalGiB() {
        return totalMiB() / 1024;
    }

    /** The KV cache in MiB. Example: {@code s.prompt(32768).estimate().kvCacheMiB()}. */
    public double kvCacheMiB() {
        return requireMemory().kvCacheMiB();
    }

    /** The weights in MiB. Example: {@code s.quant(Q4_K_M).estimate().weightsMiB()}. */
    public double weightsMiB() {
        return requireMemory().weightsMiB();
    }

    /**
     * Decode tokens per second of one sequence. Example: {@code s.on(gpu("rtx-4090")).estimate().tokensPerSecond()}.
     *
     * @throws InvalidScenarioException in fine-tuning, without a device, or when the method gives no speed
     */
    public double tokensPerSecond() {
        return requireSpeed().tokensPerSecond();
    }

    /** Milliseconds per decode step. Example: {@code s.estimate().msPerToken()}. */
    public double msPerToken() {
        return requireSpeed().msPerToken();
    }

    /** Seconds to process the prompt (time to first token). Example: {@code s.prompt(8192).estimate().promptSeconds()}. */
    public double promptSeconds() {
        return requireSpeed().promptSeconds();
    }

    /**
     * Milliseconds per fine-tuning iteration. Example: {@code s.finetune(LORA).on(gpu("a100-sxm4-80gb")).estimate().msPerIteration()}.
     *
     * @throws InvalidScenarioException in inference, or without a GPU
     */
    public double msPerIteration() {
        TrainingTime t = estimate.training();
        if (t == null) {
            throw new InvalidScenarioException("no time per iteration here: " + (setup.isTraining()
                    ? "give a GPU with .on(gpu(..))" : "this is an inference setup; call .finetune(LORA) (or FULL, QLORA) first"));
        }
        return t.msPerIteration();
    }

    /**
     * GPUs of the setup's kind that hold it, or 0 when the setup has no GPU. Example:
     * {@code model("meta-llama/Llama-3.1-70B").on(gpu("rtx-4090")).estimate().gpusNeeded()}.
     */
    public int gpusNeeded() {
        Integer n = estimate.gpusNeeded();
        return n == null ? 0 : n;
    }

    /** The method's notes (warnings, why a part is missing), in the DSL's terms. Example: {@code s.estimate().notes()}. */
    public List<String> notes() {
        return estimate.notes().stream().map(Setup::text).toList();
    }

    /**
     * The memory breakdown as a table named with the model's and the device's full names (the chart
     * beside it may shorten them): component, MiB, GiB and share of the total, then the total.
     */
    public Table table() {
        MemoryBreakdown m = requireMemory();
        List<String> names = new ArrayList<>();
        List<Double> mib = new ArrayList<>();
        for (Component c : Component.values()) {
            double v = c.mib(m);
            if (v != 0) {
                names.add(c.label());
                mib.add(v);
            }
        }
        names.add("total");
        mib.add(m.totalMiB());
        int shared = mib.size();
        if (m.hostAllocatedMiB() > 0) {
            names.add("host: allocated");
            mib.add(m.hostAllocatedMiB());
        }
        if (m.hostMappedMiB() > 0) {
            names.add("host: mapped file");
            mib.add(m.hostMappedMiB());
        }
        DoubleColumn mibCol = DoubleColumn.create("mib", mib);
        mibCol.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(0));
        DoubleColumn gib = mibCol.divide(1024).setName("gib");
        gib.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
        DoubleColumn share = DoubleColumn.create("share");
        for (int i = 0; i < mib.size(); i++) {
            if (i < shared) {
                share.append(mib.get(i) / m.totalMiB());
            } else {
                share.appendMissing();
            }
        }
        share.setPrintFormatter(NumberColumnFormatter.percent(1));
        Device d = setup.device();
        return ResultTable.of("memory: " + setup.model().id() + (d == null ? "" : " on " + d.label()),
                StringColumn.create("component", names), mibCol, gib, share);
    }

    /** A stacked bar of the memory components beside the device's memory, in GiB. */
    public Plot chart() {
        MemoryBreakdown m = requireMemory();
        Device d = setup.device();
        boolean capacity = !Double.isNaN(capacityMiB());
        List<String> categories = capacity ? List.of("needed", "available") : List.of("needed");
        CategoryChart chart = Charts.category("Memory · " + SweepPlots.shortName(setup.model().id()) + (d == null ? "" : " · " + d.label()),
                "", "memory (GiB)", 600, 400);
        chart.getStyler().setStacked(true);
        for (Component c : Component.values()) {
            double v = c.mib(m);
            if (v != 0) {
                chart.addSeries(c.label(), categories, capacity ? List.of(v / 1024, 0.0) : List.of(v / 1024))
                        .setFillColor(c.color());
            }
        }
        if (capacity) {
            String device = d == null ? "device memory" : d.label();
            chart.addSeries(check.runtimeLimit() ? "usable on " + device : device, categories, List.of(0.0, capacityMiB() / 1024))
                    .setFillColor(Charts.CAPACITY);
        }
        return new Plot(chart, this::table);
    }

    @Override
    public String toText() {
        StringBuilder sb = new StringBuilder(setup.toText()).append('\n');
        MemoryBreakdown m = estimate.memory();
        if (m != null) {
            sb.append(String.format("%-24s %10s %9s %7s%n", "memory", "MiB", "GiB", "share"));
            for (Component c : Component.values()) {
                double v = c.mib(m);
                if (v != 0) {
                    sb.append(String.format("  %-22s %,10.0f %9.2f %6.1f%%%n", c.label(), v, v / 1024,
                            100 * v / m.totalMiB()));
                }
            }
            sb.append(String.format("  %-22s %,10.0f %9.2f%n", "total", m.totalMiB(), m.totalMiB() / 1024));
            if (m.hostAllocatedMiB() > 0) {
                sb.append(String.format("  %-22s %,10.0f %9.2f%n", "host: allocated", m.hostAllocatedMiB(),
                        m.hostAllocatedMiB() / 1024));
            }
            if (m.hostMappedMiB() > 0) {
                sb.append(String.format("  %-22s %,10.0f %9.2f%n", "host: mapped file", m.hostMappedMiB(),
                        m.hostMappedMiB() / 1024));
            }
        }
        for (String line : lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div class=\"gpupoor-report\"><p><b>")
                .append(Html.escape(setup.toText())).append("</b></p>");
        if (estimate.memory() != null) {
            sb.append(Html.row(Html.table(table(), 20), Html.image(chart().chart())));
        }
        sb.append("<ul>");
        for (String line : lines()) {
            sb.append("<li>").append(Html.escape(line)).append("</li>");
        }
        return sb.append("</ul></div>").toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    /** The verdict, the speed or training time with their likely ranges, and the notes, one line each. */
    private List<String> lines() {
        List<String> out = new ArrayList<>();
        Device d = setup.device();
        if (check != null && check.fits() != null) {
            Uncertainty.Verdict v = uncertainty.verdict(check.fits(), check.neededMiB(), check.capacityMiB());
            Uncertainty.Range total = uncertainty.range(Uncertainty.Figure.TOTAL);
            String likely = total == null ? "" : " (likely " + Format.count(Math.round(total.band().low(check.neededMiB())))
                    + "–" + Format.count(Math.round(total.band().high(check.neededMiB()))) + ")";
            String of = Format.count(Math.round(check.neededMiB())) + likely + " of "
                    + Format.count(Math.round(check.capacityMiB())) + " MiB " + (check.runtimeLimit() ? "usable " : "")
                    + "on " + d.label();
            if (v == Uncertainty.Verdict.FITS) {
                out.add(String.format("fits: needs %s (%.0f%%)", of, 100 * check.neededMiB() / check.capacityMiB()));
            } else {
                Integer n = estimate.gpusNeeded();
                out.add(v.text() + ": needs " + of + (!check.fits() && n != null && n > setup.scenario().deviceCount()
                        ? " (" + n + " of these GPUs would hold it)" : "")
                        + "; fits(...) finds the longest context, largest batch and best quantization that fit");
            }
        } else {
            Uncertainty.Range total = uncertainty.range(Uncertainty.Figure.TOTAL);
            if (total != null) {
                out.add("memory: " + Format.mib(total.value()) + " in all, likely " + range(total) + " MiB");
            }
            if (d == null) {
                out.add("no device: add .on(gpu(\"rtx-4090\")) to see whether it fits and how fast it runs");
            } else if (check != null) {
                out.add("memory: runs from " + d.label() + "'s system RAM, whose size the catalog does not know");
            }
        }
        Integer concurrency = maxConcurrency();
        if (concurrency != null && kvPool() != null) {
            out.add("max concurrency: " + Format.count(concurrency) + " sequences of " + Format.count(setup.workload().totalTokens())
                    + " tokens (KV pool of " + Format.count(kvPool().kvCacheTokens()) + " tokens per GPU)");
        }
        Speed sp = estimate.speed();
        Workload w = setup.workload();
        if (sp != null) {
            String batch = w.batch() > 1 ? " (" + Format.number(sp.tokensPerSecond() * w.batch()) + " for the batch of "
                    + w.batch() + ")" : "";
            out.add("speed: " + Format.number(sp.tokensPerSecond()) + " tokens/s per sequence"
                    + likely(Uncertainty.Figure.TOKENS_PER_SECOND) + batch + ", " + Format.number(sp.msPerToken())
                    + " ms/token, " + sp.bound() + "-bound; prompt " + Format.number(sp.promptSeconds()) + " s"
                    + likely(Uncertainty.Figure.PROMPT_SECONDS));
        }
        TrainingTime t = estimate.training();
        if (t != null) {
            Uncertainty.Range r = uncertainty.range(Uncertainty.Figure.MS_PER_ITERATION);
            out.add("fine-tuning: " + Format.number(t.msPerIteration()) + " ms per iteration ("
                    + (r == null ? "" : "likely " + range(r) + "; ") + "batch of " + w.batch()
                    + " × " + Format.count(w.totalTokens()) + " tokens), " + t.bound() + "-bound");
        }
        Set<String> defaults = new LinkedHashSet<>();
        for (Uncertainty.Range r : uncertainty.ranges()) {
            ErrorBand b = r.band();
            if (b.isDefault() && SHOWN.contains(r.figure())) {
                defaults.add("range: " + b.note());
            }
        }
        out.addAll(defaults);
        for (String note : estimate.notes()) {
            out.add("note: " + Setup.text(note));
        }
        return out;
    }

    /** The figures whose ranges the text and HTML show (the weights' range is {@code uncertainty()}'s). */
    private static final Set<Uncertainty.Figure> SHOWN = Set.of(Uncertainty.Figure.TOTAL,
            Uncertainty.Figure.TOKENS_PER_SECOND, Uncertainty.Figure.PROMPT_SECONDS, Uncertainty.Figure.MS_PER_ITERATION);

    /** " (likely 12.1–14.0)" for a figure with a range, else "". */
    private String likely(Uncertainty.Figure f) {
        Uncertainty.Range r = uncertainty.range(f);
        return r == null ? "" : " (likely " + range(r) + ")";
    }

    private static String range(Uncertainty.Range r) {
        return Format.number(r.low()) + "–" + Format.number(r.high());
    }

    private Speed requireSpeed() {
        Speed sp = estimate.speed();
        if (sp == null) {
            throw new InvalidScenarioException("no speed here: " + (setup.isTraining()
                    ? "a fine-tuning setup has msPerIteration() instead"
                    : setup.device() == null ? "give a device with .on(gpu(..))"
                    : Setup.text(String.join("; ", estimate.notes()))));
        }
        return sp;
    }

    private MemoryBreakdown requireMemory() {
        if (estimate.memory() == null) {
            throw new InvalidScenarioException("the " + setup.method().id()
                    + " method gives no memory breakdown here: " + Setup.text(String.join("; ", estimate.notes())));
        }
        return estimate.memory();
    }
}
