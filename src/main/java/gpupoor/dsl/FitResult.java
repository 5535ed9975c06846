package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;

import java.util.Locale;

/**
 * One limit found by {@code fits(s)}: the value, the estimate at it (which fits) and the one a
 * step beyond it (which does not), so the answer can be checked. {@link #atLimit()} is the setup
 * at the limit, ready for {@code .estimate()}.
 */
public final class FitResult implements Displayable {

    private final Limit limit;
    private final Setup setup;
    private final Fit.Result<?> result;

    FitResult(Limit limit, Setup setup, Fit.Result<?> result) {
        this.limit = limit;
        this.setup = setup;
        this.result = result;
    }

    /** Which limit this is. */
    public Limit limit() {
        return limit;
    }

    /** The setup the search started from. */
    public Setup setup() {
        return setup;
    }

    /** The engine's answer, with every estimate the search made. */
    public Fit.Result<?> result() {
        return result;
    }

    /** Whether anything fits. */
    public boolean found() {
        return result.found();
    }

    /** The value: an Integer (tokens, sequences, GPUs) or a {@link Quant}; null when nothing fits. */
    public Object value() {
        return result.value();
    }

    /**
     * The value as a number (tokens, sequences or GPUs).
     *
     * @throws InvalidScenarioException when nothing fits, or for the best quantization (see {@link #quant()})
     */
    public int intValue() {
        requireFound();
        if (!(result.value() instanceof Integer n)) {
            throw new InvalidScenarioException(limit.title() + " is a quantization, not a number: use quant()");
        }
        return n;
    }

    /**
     * The best quantization.
     *
     * @throws InvalidScenarioException when nothing fits, or for a numeric limit (see {@link #intValue()})
     */
    public Quant quant() {
        requireFound();
        if (!(result.value() instanceof Quant q)) {
            throw new InvalidScenarioException(limit.title() + " is a number, not a quantization: use intValue()");
        }
        return q;
    }

    /**
     * The setup at the limit (e.g. with the max context set), ready for {@code .estimate()}.
     *
     * @throws InvalidScenarioException when nothing fits
     */
    public Setup atLimit() {
        requireFound();
        return switch (limit) {
            case MAX_CONTEXT -> setup.context(intValue());
            case MAX_BATCH -> setup.batch(intValue());
            case MAX_SEQUENCE -> setup.sequence(intValue());
            case BEST_QUANT -> setup.quant(quant());
            case FEWEST_GPUS -> setup.on(setup.device().times(intValue()));
        };
    }

    /** The estimate at the limit. */
    public Report estimate() {
        return atLimit().estimate();
    }

    private void requireFound() {
        if (!result.found()) {
            throw new InvalidScenarioException(summary());
        }
    }

    /** One line: the value, the memory it needs of the capacity, and what one step beyond would need. */
    String summary() {
        StringBuilder sb = new StringBuilder(limit.title()).append(": ");
        Fit.Check at = result.at();
        Fit.Check beyond = result.beyond();
        if (at != null) {
            sb.append(describe(at.scenario())).append(" needs ").append(memory(at));
            if (beyond != null) {
                sb.append("; ").append(describe(beyond.scenario())).append(" would need ").append(memory(beyond));
            }
        } else {
            sb.append("nothing fits");
            if (beyond != null) {
                sb.append(": even ").append(describe(beyond.scenario())).append(" needs ").append(memory(beyond));
            }
        }
        for (String note : result.notes()) {
            sb.append("; ").append(note);
        }
        return sb.toString();
    }

    private String describe(Scenario s) {
        return switch (limit) {
            case MAX_CONTEXT -> String.format(Locale.ROOT, "%,d tokens (prompt %,d + generate %,d)",
                    s.workload().totalTokens(), s.workload().promptTokens(), s.workload().generateTokens());
            case MAX_SEQUENCE -> String.format(Locale.ROOT, "a sequence of %,d tokens", s.workload().promptTokens());
            case MAX_BATCH -> String.format(Locale.ROOT, "a batch of %,d", s.workload().batch());
            case BEST_QUANT -> Setup.quantLabel(s.quant());
            case FEWEST_GPUS -> s.deviceCount() + " × " + s.device().name();
        };
    }

    private static String memory(Fit.Check c) {
        return String.format(Locale.ROOT, "%,.1f of %,.0f MiB%s", c.neededMiB(), c.capacityMiB(),
                c.runtimeLimit() ? " usable" : "");
    }

    @Override
    public String toText() {
        int n = result.trials().size();
        return summary() + String.format(Locale.ROOT, "%n  %s%n  exact search: %d estimate%s by the %s method",
                setup.toText(), n, n == 1 ? "" : "s", setup.method().id());
    }

    @Override
    public String toHtml() {
        return "<div><p><b>" + Html.escape(summary()) + "</b></p><p style=\"color:#666\">"
                + Html.escape(setup.toText()) + " · exact search: " + result.trials().size() + " estimates</p></div>";
    }

    @Override
    public String toString() {
        return toText();
    }
}
