package gpupoor.calc;

import java.util.EnumSet;
import java.util.Set;

/**
 * The inference runtimes' serving and multi-device knobs, one block of {@link Options}. A null
 * value means "not given": the runtime's default for its release applies.
 *
 * @param interconnect        the link between GPUs ({@code --interconnect}); default from the device's
 *                            {@code hardware.csv} row (NVLink on SXM boards, else PCIe)
 * @param splitMode           llama.cpp's {@code --split-mode}
 * @param maxModelLen         vLLM's {@code max_model_len} (SGLang's context length): the sequence length the KV
 *                            pool must hold one of, and the model's own limit by default
 * @param maxNumSeqs          vLLM's {@code max_num_seqs}: sequences running at once
 * @param maxNumBatchedTokens vLLM's {@code max_num_batched_tokens}: tokens per scheduler step (the profiling pass)
 * @param enforceEager        vLLM without CUDA graphs
 * @param maxLoraRank         vLLM's {@code max_lora_rank}: LoRA enabled, adapter buffers reserved at this rank
 * @param threads             CPU threads of llama.cpp ({@code -t})
 * @param logicalBatch        llama.cpp's logical batch {@code -b}
 * @param runtimeVersion      the runtime release the scenario describes
 * @param exl2Bits            bits per weight of EXL2 weights (given with the quantization, {@code exl2-4.65})
 */
public record ServingOptions(Interconnect interconnect, SplitMode splitMode, Integer maxModelLen, Integer maxNumSeqs,
                             Integer maxNumBatchedTokens, Boolean enforceEager, Integer maxLoraRank, Integer threads,
                             Integer logicalBatch, RuntimeVersion runtimeVersion, Double exl2Bits) {

    /** No knob given. */
    public static final ServingOptions NONE = new ServingOptions(null, null, null, null, null, null, null, null, null, null, null);

    /** The inputs of this block. */
    static final Set<Input> KNOBS = EnumSet.of(Input.INTERCONNECT, Input.SPLIT_MODE, Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS,
            Input.MAX_NUM_BATCHED_TOKENS, Input.ENFORCE_EAGER, Input.MAX_LORA_RANK, Input.THREADS, Input.LOGICAL_BATCH,
            Input.RUNTIME_VERSION, Input.EXL2_BITS);

    /** Checks the ranges of the knobs given. */
    public ServingOptions {
        positive(Input.MAX_MODEL_LEN, maxModelLen);
        positive(Input.MAX_NUM_SEQS, maxNumSeqs);
        positive(Input.MAX_NUM_BATCHED_TOKENS, maxNumBatchedTokens);
        positive(Input.MAX_LORA_RANK, maxLoraRank);
        positive(Input.THREADS, threads);
        positive(Input.LOGICAL_BATCH, logicalBatch);
        if (exl2Bits != null && !(exl2Bits >= 1 && exl2Bits <= 16)) {
            throw new InvalidScenarioException(Input.EXL2_BITS.ref(NumberText.plain(exl2Bits))
                    + ": EXL2 weights carry 2 to 8 bits per weight, e.g. exl2-4.65");
        }
    }

    private static void positive(Input input, Integer value) {
        if (value != null && value < 1) {
            throw new InvalidScenarioException(input.ref(value) + ": " + input.words() + " must be a positive integer");
        }
    }

    /** The value of one of this block's knobs, or null (not given, or not one of them). */
    Object value(Input knob) {
        return switch (knob) {
            case INTERCONNECT -> interconnect;
            case SPLIT_MODE -> splitMode;
            case MAX_MODEL_LEN -> maxModelLen;
            case MAX_NUM_SEQS -> maxNumSeqs;
            case MAX_NUM_BATCHED_TOKENS -> maxNumBatchedTokens;
            case ENFORCE_EAGER -> enforceEager;
            case MAX_LORA_RANK -> maxLoraRank;
            case THREADS -> threads;
            case LOGICAL_BATCH -> logicalBatch;
            case RUNTIME_VERSION -> runtimeVersion;
            case EXL2_BITS -> exl2Bits;
            default -> null;
        };
    }

    /** A copy with another interconnect (null: the device's default). */
    public ServingOptions withInterconnect(Interconnect v) {
        return new ServingOptions(v, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another llama.cpp split mode (null: the default). */
    public ServingOptions withSplitMode(SplitMode v) {
        return new ServingOptions(interconnect, v, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another maximum model length (null: the default). */
    public ServingOptions withMaxModelLen(Integer v) {
        return new ServingOptions(interconnect, splitMode, v, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another maximum of running sequences (null: the default). */
    public ServingOptions withMaxNumSeqs(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, v, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another maximum of tokens per step (null: the default). */
    public ServingOptions withMaxNumBatchedTokens(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, v, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with CUDA graphs off (true), on (false) or the default (null). */
    public ServingOptions withEnforceEager(Boolean v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, v, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with LoRA enabled at this maximum rank (null: LoRA off). */
    public ServingOptions withMaxLoraRank(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, v,
                threads, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another CPU thread count (null: the default). */
    public ServingOptions withThreads(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, v, logicalBatch, runtimeVersion, exl2Bits);
    }

    /** A copy with another llama.cpp logical batch (null: the default). */
    public ServingOptions withLogicalBatch(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, v, runtimeVersion, exl2Bits);
    }

    /** A copy with EXL2 weights of this many bits per weight (null: not EXL2, or 4.0). */
    public ServingOptions withExl2Bits(Double v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, v);
    }

    /** A copy describing another runtime release (null: the current one). */
    public ServingOptions withRuntimeVersion(RuntimeVersion v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, v, exl2Bits);
    }
}
