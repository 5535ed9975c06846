package gpupoor.calc;

/**
 * What the model is asked to do: serve prompts and generate tokens, or fine-tune on sequences.
 *
 * @param mode                  inference or training
 * @param promptTokens          prompt length (training: the sequence length)
 * @param generateTokens        tokens to generate (the original asks for 1 in training)
 * @param batch                 sequences processed together
 * @param method                fine-tuning method; null when not given (the gpu-poor method reads it
 *                              in inference too, as the original did)
 * @param optimizer             the optimizer (training)
 * @param gradientCheckpointing whether activations are recomputed in the backward pass (training)
 * @param loraRank              LoRA rank (the original always uses 8)
 */
public record Workload(Mode mode, int promptTokens, int generateTokens, int batch, TrainMethod method,
                       Optimizer optimizer, boolean gradientCheckpointing, int loraRank) {

    /** Checks the ranges ({@link Limits}): prompt, generate, batch and rank. */
    public Workload {
        if (mode == null) {
            throw new InvalidScenarioException("mode must be given: inference or training");
        }
        checkPrompt(promptTokens);
        checkGenerate(generateTokens);
        checkBatch(batch);
        checkLoraRank(loraRank);
        if (optimizer == null) {
            optimizer = Optimizer.ADAM;
        }
    }

    /** Checks a prompt length ({@link Limits}: 1 to 1,000,000,000). */
    static int checkPrompt(int tokens) {
        return Limits.check(Input.PROMPT, tokens);
    }

    /** Checks a generation length ({@link Limits}: 0 to 1,000,000,000). */
    static int checkGenerate(int tokens) {
        return Limits.check(Input.GENERATE, tokens);
    }

    /** Checks a batch size ({@link Limits}: 1 to 1,048,576). */
    static int checkBatch(int batch) {
        return Limits.check(Input.BATCH, batch);
    }

    /** Checks a LoRA rank ({@link Limits}: 1 to 65,536). */
    static int checkLoraRank(int rank) {
        return Limits.check(Input.LORA_RANK, rank);
    }

    /** Inference with a prompt, a generation length and batch 1. */
    public static Workload inference(int prompt, int generate) {
        return new Workload(Mode.INFERENCE, prompt, generate, 1, null, Optimizer.ADAM, false, 8);
    }

    /** Fine-tuning on sequences of {@code sequence} tokens (generate = 1, as in the original), batch 1, Adam. */
    public static Workload training(TrainMethod method, int sequence) {
        return new Workload(Mode.TRAINING, sequence, 1, 1, method, Optimizer.ADAM, false, 8);
    }

    /** Total tokens per sequence: prompt + generated (a {@code long}: each may be up to {@link Limits#MAX_TOKENS}). */
    public long totalTokens() {
        return (long) promptTokens + generateTokens;
    }

    /** Whether this is a training workload. */
    public boolean isTraining() {
        return mode == Mode.TRAINING;
    }

    /** A copy with another prompt length. */
    public Workload withPrompt(int tokens) {
        return new Workload(mode, tokens, generateTokens, batch, method, optimizer, gradientCheckpointing, loraRank);
    }

    /** A copy with another generation length. */
    public Workload withGenerate(int tokens) {
        return new Workload(mode, promptTokens, tokens, batch, method, optimizer, gradientCheckpointing, loraRank);
    }

    /** A copy with another batch size. */
    public Workload withBatch(int b) {
        return new Workload(mode, promptTokens, generateTokens, b, method, optimizer, gradientCheckpointing, loraRank);
    }

    /** A copy with another mode. */
    public Workload withMode(Mode m) {
        return new Workload(m, promptTokens, generateTokens, batch, method, optimizer, gradientCheckpointing, loraRank);
    }

    /** A copy with another fine-tuning method. */
    public Workload withMethod(TrainMethod m) {
        return new Workload(mode, promptTokens, generateTokens, batch, m, optimizer, gradientCheckpointing, loraRank);
    }

    /** A copy with another optimizer. */
    public Workload withOptimizer(Optimizer o) {
        return new Workload(mode, promptTokens, generateTokens, batch, method, o, gradientCheckpointing, loraRank);
    }

    /** A copy with gradient checkpointing on or off. */
    public Workload withGradientCheckpointing(boolean on) {
        return new Workload(mode, promptTokens, generateTokens, batch, method, optimizer, on, loraRank);
    }

    /** A copy with another LoRA rank. */
    public Workload withLoraRank(int rank) {
        return new Workload(mode, promptTokens, generateTokens, batch, method, optimizer, gradientCheckpointing, rank);
    }
}
