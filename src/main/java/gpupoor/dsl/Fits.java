package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The limits of a setup on its device, each an exact search over the engine:
 * {@code fits(s).maxContext()}, {@code maxBatch()}, {@code bestQuant()}, {@code gpusNeeded()},
 * and for fine-tuning {@code maxSequence()}. Shown alone, it lists every limit that applies.
 */
public final class Fits implements Displayable {

    private final Setup setup;
    private final Fit fit;
    private final boolean memoryGiven;

    Fits(Setup setup) {
        this(setup, Fit.of(setup.method()), false);
    }

    private Fits(Setup setup, Fit fit, boolean memoryGiven) {
        this.setup = setup;
        this.fit = fit;
        this.memoryGiven = memoryGiven;
    }

    /** With {@code gib} GiB of memory per device instead of the catalog's figure (a CPU's RAM, or a what-if). */
    public Fits memory(double gib) {
        return new Fits(setup, fit.withDeviceMemoryMiB(gib * 1024), true);
    }

    /** The longest context (prompt + generated tokens) that fits; inference only. */
    public FitResult maxContext() {
        return limit(Limit.MAX_CONTEXT);
    }

    /** The largest batch that fits. */
    public FitResult maxBatch() {
        return limit(Limit.MAX_BATCH);
    }

    /** The longest fine-tuning sequence that fits; fine-tuning only. */
    public FitResult maxSequence() {
        return limit(Limit.MAX_SEQUENCE);
    }

    /** The highest-quality quantization that fits with the setup's framework (fp32 is not considered). */
    public FitResult bestQuant() {
        return limit(Limit.BEST_QUANT);
    }

    /** The first of {@code candidates}, given best first, that fits. */
    public FitResult bestQuant(Quant... candidates) {
        requireCapacity();
        return new FitResult(Limit.BEST_QUANT, setup, fit.bestQuant(setup.scenario(), Arrays.asList(candidates)));
    }

    /** The fewest GPUs of the setup's kind that hold it. */
    public FitResult gpusNeeded() {
        return limit(Limit.FEWEST_GPUS);
    }

    /** The given limit. */
    public FitResult limit(Limit limit) {
        requireCapacity();
        return new FitResult(limit, setup, limit.search(fit, setup.scenario()));
    }

    /** The limits that apply: max context (inference) or max sequence (fine-tuning), max batch, best quantization, fewest GPUs (GPUs only). */
    public List<Limit> applicable() {
        List<Limit> out = new ArrayList<>();
        out.add(setup.isTraining() ? Limit.MAX_SEQUENCE : Limit.MAX_CONTEXT);
        out.add(Limit.MAX_BATCH);
        out.add(Limit.BEST_QUANT);
        Device d = setup.device();
        if (d != null && d.hardware().isGpu()) {
            out.add(Limit.FEWEST_GPUS);
        }
        return out;
    }

    /** Every applicable limit as a table: limit, value, memory at it, capacity, memory one step beyond. */
    public Table table() {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        DoubleColumn needed = DoubleColumn.create("needed_mib");
        DoubleColumn capacity = DoubleColumn.create("capacity_mib");
        DoubleColumn next = DoubleColumn.create("next_step_mib");
        for (Limit l : applicable()) {
            names.add(l.title());
            Fit.Result<?> r;
            try {
                r = limit(l).result();
            } catch (InvalidScenarioException e) {
                values.add("n/a: " + Setup.message(e));
                needed.appendMissing();
                capacity.appendMissing();
                next.appendMissing();
                continue;
            }
            values.add(r.found() ? cell(r.value()) : "nothing fits");
            Fit.Check shown = r.at() != null ? r.at() : r.beyond();
            needed.append(r.at() == null ? Double.NaN : r.at().neededMiB());
            capacity.append(shown == null ? Double.NaN : shown.capacityMiB());
            next.append(r.beyond() == null ? Double.NaN : r.beyond().neededMiB());
        }
        for (DoubleColumn c : List.of(needed, capacity, next)) {
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        }
        return ResultTable.of("limits: " + setup.toText(), StringColumn.create("limit", names),
                StringColumn.create("value", values), needed, capacity, next);
    }

    private static String cell(Object value) {
        return value instanceof Quant q ? Setup.quantLabel(q) : String.format("%,d", (Integer) value);
    }

    private void requireCapacity() {
        if (memoryGiven) {
            return;
        }
        Device d = setup.device();
        if (d == null) {
            throw new InvalidScenarioException("fitting needs a device: add .on(gpu(\"rtx-4090\")) to the setup (on the "
                    + "command line --gpu), or give a memory size (fits(s).memory(24) in GiB; --memory-gib 24)");
        }
        if (!(d.hardware().memoryGiB() > 0)) {
            throw new InvalidScenarioException(d.id() + " is a CPU: the catalog does not know its RAM; give its size "
                    + "(fits(s).memory(64) in GiB; on the command line --memory-gib 64)");
        }
    }

    @Override
    public String toText() {
        StringBuilder sb = new StringBuilder(setup.toText()).append('\n');
        for (Limit l : applicable()) {
            String line;
            try {
                line = limit(l).summary();
            } catch (InvalidScenarioException e) {
                line = l.title() + ": n/a (" + Setup.message(e) + ")";
            }
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    @Override
    public String toHtml() {
        return Html.table(table(), 10);
    }

    @Override
    public String toString() {
        return toText();
    }
}
