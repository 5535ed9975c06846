package gpupoor.dsl;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;
import gpupoor.view.Html;
import gpupoor.widgets.Dropdown;
import gpupoor.widgets.FloatSlider;
import gpupoor.widgets.HBox;
import gpupoor.widgets.HtmlText;
import gpupoor.widgets.IntSlider;
import gpupoor.widgets.ToggleButtons;
import gpupoor.widgets.VBox;
import gpupoor.widgets.Widget;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A setup to play with: controls for the context, batch, quantization, device and count, runtime
 * and its knobs, fine-tuning method and LoRA rank, next to the memory breakdown chart (with the
 * device's usable memory), the verdict, tokens/s and the limits (longest context, largest batch).
 * Every change of a control estimates again and redraws in the kernel. In a notebook whose front
 * end draws widgets (JupyterLab, the classic Notebook with ipywidgets) the controls are sliders and
 * dropdowns; elsewhere ({@code jshell}, nbconvert) it shows as text with a note, and the controls
 * can still be set from code. Example:
 * <pre>{@code
 * var x = explore(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M));
 * x                              // the controls and the live chart
 * x.batch().value(16);           // moves the batch slider: the chart follows
 * x.report().totalMiB();         // what is shown now
 * }</pre>
 * A combination the engine refuses (a knob the runtime does not take, a quantization it cannot
 * run) shows the engine's message in place of the chart; the controls stay usable.
 */
public final class Explore {
    /** The choice that leaves a runtime knob at the runtime's own default. */
    static final String RUNTIME_DEFAULT = "runtime default";
    /** The runtime choice that follows the quantization and device (as when none is given). */
    static final String AUTO = "auto";
    /** The fine-tuning choice for inference. */
    static final String INFERENCE = "inference";

    private final Setup base;
    private final IntSlider context;
    private final IntSlider batch;
    private final Dropdown quant;
    private final Dropdown device;
    private final IntSlider count;
    private final Dropdown runtime;
    private final Dropdown kvCache;
    private final Dropdown flashAttention;
    private final FloatSlider gpuMemoryUtilization;
    private final ToggleButtons finetune;
    private final IntSlider rank;
    private final HtmlText panel = new HtmlText("");
    private final HBox widget;

    private Setup setup;
    private Report report;
    private String message;
    private String limits = "";
    private double redrawMillis;

    Explore(Setup base) {
        if (base == null) {
            throw new InvalidScenarioException("explore(...) needs a setup, e.g. explore(model(\"meta-llama/Llama-3.1-8B\"))");
        }
        this.base = base;
        Device d = base.device();
        context = new IntSlider("context", 256, 131_072, (int) Math.max(256, Math.min(131_072, base.context())))
                .step(256).continuousUpdate(false);
        batch = new IntSlider("batch", 1, 256, base.workload().batch()).continuousUpdate(false);
        quant = new Dropdown("quant", Quant.ids(), base.quant().id());
        List<String> devices = new ArrayList<>(List.of("none"));
        Catalog.get().allHardware().stream().map(Hardware::id).forEach(devices::add);
        device = new Dropdown("device", devices, d == null ? "none" : d.id());
        count = new IntSlider("count", 1, 16, d == null ? 1 : d.count()).continuousUpdate(false);
        List<String> runtimes = new ArrayList<>(List.of(AUTO));
        runtimes.addAll(Framework.ids());
        runtime = new Dropdown("runtime", runtimes, AUTO);
        kvCache = new Dropdown("KV cache", List.of(RUNTIME_DEFAULT, "f16", "fp8", "q8_0", "q4_0"), RUNTIME_DEFAULT);
        flashAttention = new Dropdown("flash attn", List.of(RUNTIME_DEFAULT, "on", "off"), RUNTIME_DEFAULT);
        gpuMemoryUtilization = new FloatSlider("vLLM mem", 0.5, 0.98, 0.9).step(0.01);
        String how = base.isTraining() ? base.workload().method().name().toLowerCase(Locale.ROOT) : INFERENCE;
        finetune = new ToggleButtons("mode", List.of(INFERENCE, "lora", "qlora", "full"), how);
        rank = new IntSlider("LoRA rank", 1, 256, base.isTraining() && base.workload().loraRank() > 0
                ? base.workload().loraRank() : 8).continuousUpdate(false);

        context.onChange(v -> redraw());
        batch.onChange(v -> redraw());
        quant.onChange(v -> redraw());
        device.onChange(v -> redraw());
        count.onChange(v -> redraw());
        runtime.onChange(v -> redraw());
        kvCache.onChange(v -> redraw());
        flashAttention.onChange(v -> redraw());
        gpuMemoryUtilization.onChange(v -> redraw());
        finetune.onChange(v -> redraw());
        rank.onChange(v -> redraw());

        VBox controls = new VBox(context, batch, quant, device, count, runtime, kvCache, flashAttention,
                gpuMemoryUtilization, finetune, rank);
        controls.layout().set("min_width", "320px");
        panel.layout().set("flex", "1 1 480px").set("min_width", "0");
        widget = new HBox(controls, panel);
        widget.layout().set("flex_flow", "row wrap").set("align_items", "flex-start");
        redraw();
    }

    /** The context slider (tokens: prompt + generated; in fine-tuning the sequence length). Example: {@code x.context().value(32768)}. */
    public IntSlider context() {
        return context;
    }

    /** The batch slider (sequences processed together). Example: {@code x.batch().value(16)}. */
    public IntSlider batch() {
        return batch;
    }

    /** The quantization dropdown ({@code none} for 16-bit, {@code gguf-Q4_K_M}, …). Example: {@code x.quant().value("gguf-Q8_0")}. */
    public Dropdown quant() {
        return quant;
    }

    /** The device dropdown (catalog ids; {@code none} for no device). Example: {@code x.device().value("a100-sxm4-80gb")}. */
    public Dropdown device() {
        return device;
    }

    /** The device count slider. Example: {@code x.count().value(2)}. */
    public IntSlider count() {
        return count;
    }

    /** The runtime dropdown ({@code auto} follows the quantization and device). Example: {@code x.runtime().value("vllm")}. */
    public Dropdown runtime() {
        return runtime;
    }

    /** The KV-cache type dropdown (a runtime knob; {@code runtime default} leaves it unset). Example: {@code x.kvCache().value("q8_0")}. */
    public Dropdown kvCache() {
        return kvCache;
    }

    /** The flash-attention dropdown (a runtime knob; {@code runtime default} leaves it unset). Example: {@code x.flashAttention().value("on")}. */
    public Dropdown flashAttention() {
        return flashAttention;
    }

    /** vLLM's GPU memory utilization (applied only when the runtime is vLLM). Example: {@code x.gpuMemoryUtilization().value(0.8)}. */
    public FloatSlider gpuMemoryUtilization() {
        return gpuMemoryUtilization;
    }

    /** Inference or a fine-tuning method: {@code inference}, {@code lora}, {@code qlora}, {@code full}. Example: {@code x.finetune().value("qlora")}. */
    public ToggleButtons finetune() {
        return finetune;
    }

    /** The LoRA rank slider (LoRA and QLoRA). Example: {@code x.rank().value(64)}. */
    public IntSlider rank() {
        return rank;
    }

    /** The whole view: the controls beside the panel (a row that wraps when narrow). Example: {@code x.widget().show()}. */
    public Widget widget() {
        return widget;
    }

    /** The setup the controls describe now, or null when the engine refused it (see {@link #message()}). Example: {@code x.setup().context()}. */
    public Setup setup() {
        return setup;
    }

    /** The estimate shown now, or null when the engine refused the controls' combination. Example: {@code x.report().totalGiB()}. */
    public Report report() {
        return report;
    }

    /** The engine's message for a combination it refuses, in the DSL's terms; null when it is shown. Example: {@code x.message()}. */
    public String message() {
        return message;
    }

    /** Milliseconds the last redraw took in the kernel (estimate, limits, chart, HTML). Example: {@code x.redrawMillis() < 100}. */
    public double redrawMillis() {
        return redrawMillis;
    }

    /** The panel's HTML now: the report (table beside chart), the limits, or the engine's message. Example: {@code display(html(x.html()))}. */
    public String html() {
        return panel.value();
    }

    /** Estimates the controls' setup again and redraws the panel. */
    void redraw() {
        long start = System.nanoTime();
        String html;
        try {
            setup = fromControls();
            report = setup.estimate();
            limits = limits(setup);
            message = null;
            html = "<div class=\"gpupoor-explore\"><p class=\"gpupoor-explore-total\">total: <b>"
                    + Html.escape(Format.mib(report.totalMiB())) + "</b>" + (limits.isEmpty() ? "" : " · "
                    + Html.escape(limits)) + "</p>" + report.toHtml() + "</div>";
        } catch (InvalidScenarioException e) {
            setup = null;
            report = null;
            limits = "";
            message = Setup.message(e);
            html = "<div class=\"gpupoor-explore\"><p class=\"gpupoor-explore-error\" style=\"color:#b00\">"
                    + Html.escape(message) + "</p></div>";
        }
        redrawMillis = (System.nanoTime() - start) / 1e6;
        panel.value(html + "<p style=\"color:#888;font-size:smaller\">redrawn in "
                + String.format(Locale.ROOT, "%.0f", redrawMillis) + " ms</p>");
    }

    /** The setup the controls describe (the engine's checks run when it is estimated). */
    private Setup fromControls() {
        Setup s = base;
        String how = finetune.value();
        if (!INFERENCE.equals(how)) {
            s = s.finetune(how);
        }
        s = device.value().equals("none") ? s : s.on(Device.of(device.value()).times(count.value()));
        s = s.quant(quant.value()).batch(batch.value());
        s = s.isTraining() ? s.sequence(context.value()) : s.context(context.value());
        if ("lora".equals(how) || "qlora".equals(how)) {
            s = s.rank(rank.value());
        }
        s = AUTO.equals(runtime.value()) ? s.defaultFramework() : s.framework(runtime.value());
        if (!RUNTIME_DEFAULT.equals(kvCache.value())) {
            s = s.kvCache(kvCache.value());
        }
        if (!RUNTIME_DEFAULT.equals(flashAttention.value())) {
            s = s.flashAttention("on".equals(flashAttention.value()));
        }
        if (s.framework().knobs().contains(Input.GPU_MEMORY_UTILIZATION)) {
            s = s.gpuMemoryUtilization(gpuMemoryUtilization.value());
        }
        return s;
    }

    /** The longest context and the largest batch that fit, as one line; empty without a device's memory. */
    private static String limits(Setup s) {
        if (s.device() == null || s.device().memoryGiB() <= 0) {
            return "";
        }
        Fits f = new Fits(s);
        List<String> parts = new ArrayList<>();
        parts.add(limit(s.isTraining() ? "max sequence" : "max context", s.isTraining() ? f.maxSequence() : f.maxContext(), "tokens"));
        parts.add(limit("max batch", f.maxBatch(), "sequences"));
        return String.join(" · ", parts);
    }

    private static String limit(String name, FitResult r, String unit) {
        return name + ": " + (r.found() && r.value() instanceof Integer n ? Format.count(n) + " " + unit : "nothing fits");
    }

    /** What the view shows, as text: the controls' values, then the estimate and limits (or the message). Example: {@code print(x.toText())}. */
    public String toText() {
        StringBuilder sb = new StringBuilder("explore: ");
        sb.append("context ").append(Format.count(context.value())).append(" · batch ").append(batch.value())
                .append(" · quant ").append(quant.value()).append(" · device ").append(device.value())
                .append(count.value() > 1 ? " × " + count.value() : "").append(" · runtime ").append(runtime.value())
                .append(" · KV cache ").append(kvCache.value()).append(" · flash attention ").append(flashAttention.value())
                .append(" · ").append(finetune.value());
        if (!INFERENCE.equals(finetune.value()) && !"full".equals(finetune.value())) {
            sb.append(" rank ").append(rank.value());
        }
        sb.append('\n');
        if (report != null) {
            sb.append(report.toText()).append('\n');
            if (!limits.isEmpty()) {
                sb.append(limits).append('\n');
            }
        } else {
            sb.append("refused: ").append(message).append('\n');
        }
        return sb.append("(no widget front end here: in JupyterLab or the classic Notebook with ipywidgets these are "
                + "sliders and dropdowns; from code, set a control, e.g. x.batch().value(16), and the view follows)").toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
