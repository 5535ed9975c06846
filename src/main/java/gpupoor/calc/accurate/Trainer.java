package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Scenario;

import java.util.List;

/**
 * The default method's strategy for one training runtime: what its kernels keep for the backward
 * pass ({@link Kernels}), what its loss holds ({@link Loss}), where its activation checkpoints live
 * and which of the scenario's choices it cannot make. A new training runtime is one subclass
 * registered in {@link #ALL}, a {@link Framework} constant with its defaults, and its calibration
 * rows; the memory and time of a run follow from these facts ({@link TrainingPlan}).
 */
abstract class Trainer {
    private static final List<Trainer> ALL = List.of(new HfTrainer(), new UnslothTrainer(), new TorchtuneTrainer(),
            new LitgptTrainer());

    /**
     * The strategy for a framework.
     *
     * @throws InvalidScenarioException for a runtime the default method does not fine-tune with
     */
    static Trainer of(Framework f) {
        for (Trainer t : ALL) {
            if (t.framework() == f) {
                return t;
            }
        }
        throw new InvalidScenarioException("the default method does not model fine-tuning with " + f.label());
    }

    /** The framework this strategy models. */
    abstract Framework framework();

    /**
     * The runtime's own rules for a fine-tuning scenario (devices, weight formats, techniques).
     *
     * @throws InvalidScenarioException naming the input that breaks the rule and what is accepted
     */
    void check(Scenario s, TrainingRecipe r) {
    }

    /** What the runtime's kernels save per token for the backward pass under a recipe. */
    abstract Kernels kernels(TrainingRecipe r);

    /** What the runtime's loss holds per logit (token × vocabulary entry) under a recipe. */
    abstract Loss loss(TrainingRecipe r);

    /** Bytes of the (frozen or trained) model weights as the runtime holds them for training: as stored by default. */
    double modelWeights(Architecture a, WeightBytes wb, TrainingRecipe r) {
        return wb.total();
    }

    /**
     * Bytes per GPU at a moment outside the training step that may exceed it (loading the model):
     * none by default.
     *
     * @param shard the weights this GPU keeps during training
     */
    double loadPeak(double model, double shard, TrainingRecipe r) {
        return 0;
    }

    /** Whether its activation checkpoints (each block's input) go to host memory (Unsloth's checkpointing). */
    boolean offloadsCheckpoints(TrainingRecipe r) {
        return false;
    }

    /**
     * Per-token facts of the runtime's kernels: bytes saved for the backward pass beyond the
     * inputs of trainable linear layers, the attention core and the MLP activation, which every
     * runtime keeps.
     *
     * @param normBytes           bytes per hidden element an RMSNorm keeps when its weight is frozen
     *                            (4: PyTorch's eager fp32 upcast keeps the fp32 input; 2: a fused
     *                            kernel keeps the bf16 input and one scale per row)
     * @param normTrainedBytes    bytes per hidden element more when the norm's weight trains (its normalized output)
     * @param gatedActTensors     MLP-width tensors a gated activation keeps (3 eager: gate, SiLU(gate), up; 2 fused)
     * @param kvExpanded          whether keys and values are repeated to every query head before attention
     * @param loraCopyBytes       bytes per input element of a private copy each LoRA adapter keeps
     *                            (PEFT casts the input to the fp32 adapters' dtype: 4); 0 when the
     *                            adapters share the layer's input
     * @param loraDropoutBytes    bytes per input element a LoRA dropout keeps per adapted input (mask and dropped copy)
     * @param quantSavesInput     whether a frozen quantized linear layer keeps its input (bitsandbytes' 4-bit matmul does)
     * @param backwardMlpTensors  MLP-width gradients alive at once while a block runs its backward pass (2 eager:
     *                            the gate's and the up projection's; 1 where a fused kernel writes them in place)
     * @param words               the kernels in words
     */
    record Kernels(double normBytes, double normTrainedBytes, int gatedActTensors, boolean kvExpanded,
                   double loraCopyBytes, double loraDropoutBytes, boolean quantSavesInput, int backwardMlpTensors,
                   String words) {
    }

    /**
     * What the cross-entropy over the vocabulary holds, per logit (one token × one vocabulary
     * entry): the bytes kept from the forward pass to the backward pass for every token, and the
     * bytes that exist only while one chunk of tokens is computed.
     *
     * @param savedBytes     bytes per logit kept for all tokens at once
     * @param transientBytes bytes per logit of the chunk being computed
     * @param chunks         chunks the tokens are split into (1: all at once; ignored when {@code chunkTokens} &gt; 0)
     * @param chunkTokens    tokens per chunk when the runtime chunks by a fixed size (0: by {@code chunks})
     * @param words          the loss in words
     */
    record Loss(double savedBytes, double transientBytes, int chunks, int chunkTokens, String words) {

        /** Peak bytes of the loss over {@code tokens} tokens and a vocabulary of {@code vocab}. */
        double peak(double tokens, double vocab) {
            double chunk = chunkTokens > 0 ? Math.min(tokens, chunkTokens) : Math.ceil(tokens / Math.max(1, chunks));
            return vocab * (tokens * savedBytes + chunk * transientBytes);
        }
    }

    /**
     * The loss of a plain PyTorch cross-entropy on the whole batch: the bf16 logits (kept by the
     * model's output), their fp32 upcast and log-softmax (kept for the backward pass), and in the
     * backward pass the log-softmax's gradient and the logits' gradient: 2 + 4 bytes kept, 8 more at
     * the peak.
     */
    static final Loss PLAIN_LOSS = new Loss(6, 8, 1, 0,
            "cross-entropy over all tokens at once (bf16 logits + fp32 log-softmax kept, fp32 gradients at the peak)");
}
