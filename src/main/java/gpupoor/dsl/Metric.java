package gpupoor.dsl;

import gpupoor.catalog.Uncertainty;

/** What a sweep plots on its y axis: {@code sweep(s).context(512, 131072).plot(MEMORY)}. */
public enum Metric {
    /** Memory needed, in GiB: stacked by component for one curve, else one total curve per series, with the device's capacity. */
    MEMORY("Memory", "memory (GiB)"),
    /** Decode tokens per second of one sequence. */
    TOKENS_PER_SECOND("Tokens/s per sequence", "tokens/s per sequence"),
    /** Decode tokens per second of the whole batch (per-sequence tokens/s × batch). */
    THROUGHPUT("Throughput", "tokens/s, whole batch"),
    /** Milliseconds per decode step. */
    MS_PER_TOKEN("Time per token", "ms per token"),
    /** Seconds to process the prompt (time to first token). */
    PROMPT_SECONDS("Prompt time", "prompt processing (s)"),
    /** Milliseconds per fine-tuning iteration (forward, backward, optimizer step). */
    MS_PER_ITERATION("Time per iteration", "ms per fine-tuning iteration"),
    /** Devices of the GPU needed to hold the model. */
    GPUS_NEEDED("GPUs needed", "GPUs needed"),
    /** Sequences of the point's length that run at once (a serving runtime's KV pool, capped by its max_num_seqs). */
    MAX_CONCURRENCY("Max concurrency", "sequences at once"),
    /** Host memory beside the device(s), in GiB: allocated plus mapped from the model file (llama.cpp). */
    HOST_MEMORY("Host memory", "host memory (GiB)");

    private final String title;
    private final String axisTitle;

    Metric(String title, String axisTitle) {
        this.title = title;
        this.axisTitle = axisTitle;
    }

    /** The chart title's start, e.g. {@code Memory}. */
    public String title() {
        return title;
    }

    /** The y axis title with its unit, e.g. {@code memory (GiB)}. */
    public String axisTitle() {
        return axisTitle;
    }

    /** The estimate's figure whose error band this metric has (the throughput's is the tokens/s'); null for a count or the host memory. */
    Uncertainty.Figure figure() {
        return switch (this) {
            case MEMORY -> Uncertainty.Figure.TOTAL;
            case TOKENS_PER_SECOND, THROUGHPUT -> Uncertainty.Figure.TOKENS_PER_SECOND;
            case MS_PER_TOKEN -> Uncertainty.Figure.MS_PER_TOKEN;
            case PROMPT_SECONDS -> Uncertainty.Figure.PROMPT_SECONDS;
            case MS_PER_ITERATION -> Uncertainty.Figure.MS_PER_ITERATION;
            case GPUS_NEEDED, MAX_CONCURRENCY, HOST_MEMORY -> null;
        };
    }
}
