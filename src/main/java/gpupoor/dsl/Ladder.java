package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A recipe ladder: a fine-tuning setup and the same setup with one technique after another added,
 * each step on top of the previous one. For each step: the memory the most loaded GPU needs, what
 * the step saved, the time per iteration, what the step cost in time, and the longest sequence that
 * fits the device. Example:
 * <pre>{@code
 * ladder(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).finetune(FULL).framework(TORCHTUNE).sequence(2048))
 *     .then("gradient checkpointing", s -> s.gradientCheckpointing())
 *     .then("8-bit AdamW", s -> s.optimizer(ADAM_8BIT))
 * }</pre>
 */
public final class Ladder implements Displayable {

    /** One step: its label and its setup. */
    private record Step(String label, Setup setup) {
    }

    private final List<Step> steps;

    private Ladder(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** A ladder whose first step is {@code base} (a fine-tuning setup on a device). */
    static Ladder of(Setup base) {
        if (!base.isTraining()) {
            throw new InvalidScenarioException("ladder(...) compares fine-tuning recipes: call finetune(LORA) (or FULL, "
                    + "QLORA) on the setup first");
        }
        return new Ladder(List.of(new Step("baseline", base)));
    }

    /**
     * A ladder with one more step: the last step's setup changed by {@code change}. Example:
     * {@code ladder(s).then("chunked loss", x -> x.chunkedLoss())}.
     */
    public Ladder then(String label, UnaryOperator<Setup> change) {
        if (label == null || label.isBlank() || change == null) {
            throw new InvalidScenarioException("then(...) needs a label and a change, e.g. then(\"compile\", s -> s.compile())");
        }
        List<Step> next = new ArrayList<>(steps);
        next.add(new Step(label, change.apply(steps.get(steps.size() - 1).setup())));
        return new Ladder(next);
    }

    /** The setups, one per step, in order. */
    public List<Setup> setups() {
        return steps.stream().map(Step::setup).toList();
    }

    /**
     * The ladder as a table: step, needed MiB on the most loaded GPU, saving against the step before
     * (MiB and %), ms per iteration, time cost against the step before (%), the longest sequence that
     * fits (blank where the device's memory is unknown) and whether the step's own sequence fits.
     */
    public Table table() {
        StringColumn step = StringColumn.create("step");
        DoubleColumn needed = DoubleColumn.create("needed_mib");
        DoubleColumn saved = DoubleColumn.create("saved_mib");
        DoubleColumn savedPct = DoubleColumn.create("saved_pct");
        DoubleColumn ms = DoubleColumn.create("ms_per_iteration");
        DoubleColumn cost = DoubleColumn.create("time_cost_pct");
        DoubleColumn longest = DoubleColumn.create("longest_sequence");
        StringColumn fits = StringColumn.create("fits");
        double prevMiB = Double.NaN;
        double prevMs = Double.NaN;
        for (Step s : steps) {
            Estimate e = s.setup().estimate().estimate();
            double mib = e.budget() != null ? e.budget().requiredMiB()
                    : e.memory().totalMiB() / s.setup().scenario().deviceCount();
            double t = e.training() == null ? Double.NaN : e.training().msPerIteration();
            step.append(s.label());
            needed.append(mib);
            saved.append(prevMiB - mib);
            savedPct.append(100 * (prevMiB - mib) / prevMiB);
            ms.append(t);
            cost.append(100 * (t - prevMs) / prevMs);
            longest.append(longest(s.setup()));
            Boolean f = e.budget() == null ? null : e.budget().fits();
            fits.append(f == null ? "" : f ? "yes" : "no");
            prevMiB = mib;
            prevMs = t;
        }
        for (DoubleColumn c : List.of(needed, saved, ms)) {
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(0));
        }
        for (DoubleColumn c : List.of(savedPct, cost)) {
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        }
        longest.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(0));
        return ResultTable.of("recipe ladder: " + steps.get(0).setup().toText(), step, needed, saved, savedPct, ms, cost,
                longest, fits);
    }

    /** The longest sequence that fits the setup's device; NaN without a device whose memory is known. */
    private static double longest(Setup s) {
        Device d = s.device();
        if (d == null || !(d.hardware().memoryGiB() > 0)) {
            return Double.NaN;
        }
        Fit.Result<Integer> r = Fit.of(s.method()).maxSequence(s.scenario());
        return r.found() ? r.value() : 0;
    }

    @Override
    public String toText() {
        return table().printAll();
    }

    @Override
    public String toHtml() {
        return Html.table(table(), 50);
    }

    @Override
    public String toString() {
        return toText();
    }
}
