package gpupoor.dsl;

import gpupoor.calc.Fit;
import gpupoor.calc.Scenario;

/**
 * The limits {@code fits(..)} finds, each by an exact search over the engine; also what
 * {@code sweep(s).quants(..).limit(MAX_CONTEXT)} finds at every point of a sweep.
 */
public enum Limit {
    /** The longest context (prompt + generated tokens) that fits (inference). */
    MAX_CONTEXT("max context", "max_context_tokens", "max context (tokens)"),
    /** The largest batch that fits. */
    MAX_BATCH("max batch", "max_batch", "max batch (sequences)"),
    /** The longest fine-tuning sequence that fits (fine-tuning). */
    MAX_SEQUENCE("max sequence", "max_sequence_tokens", "max fine-tuning sequence (tokens)"),
    /** The highest-quality quantization that fits with the setup's framework. */
    BEST_QUANT("best quantization", "best_quant", "bits per weight of the best quantization that fits"),
    /** The fewest GPUs of the setup's kind that hold it. */
    FEWEST_GPUS("fewest GPUs", "fewest_gpus", "GPUs needed");

    private final String title;
    private final String column;
    private final String axisTitle;

    Limit(String title, String column, String axisTitle) {
        this.title = title;
        this.column = column;
        this.axisTitle = axisTitle;
    }

    /** How results name it, e.g. {@code max context}. */
    public String title() {
        return title;
    }

    /** The table column of its value, e.g. {@code max_context_tokens}. */
    public String column() {
        return column;
    }

    /** The chart axis title with its unit. */
    public String axisTitle() {
        return axisTitle;
    }

    /** Runs the search. */
    Fit.Result<?> search(Fit fit, Scenario s) {
        return switch (this) {
            case MAX_CONTEXT -> fit.maxContext(s);
            case MAX_BATCH -> fit.maxBatch(s);
            case MAX_SEQUENCE -> fit.maxSequence(s);
            case BEST_QUANT -> fit.bestQuant(s);
            case FEWEST_GPUS -> fit.fewestDevices(s);
        };
    }
}
