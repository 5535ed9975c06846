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
 * @param noMmap              llama.cpp reads the weights into allocated memory instead of mapping the file
 * @param gptqKernel          transformers' GPTQ kernel: {@code exllama} (the default) or {@code cuda-old}
 * @param bnb4bitType         bitsandbytes' 4-bit data type: {@code nf4} or {@code fp4} (same bytes)
 * @param bnbDoubleQuant      bitsandbytes double quantization (quantized absmax constants)
 * @param unquantizedModules  modules a quantized checkpoint keeps in 16 bits, as Hugging Face module names
 *                            ({@code model.layers.2.mlp,model.layers.30.self_attn})
 */
public record ServingOptions(Interconnect interconnect, SplitMode splitMode, Integer maxModelLen, Integer maxNumSeqs,
                             Integer maxNumBatchedTokens, Boolean enforceEager, Integer maxLoraRank, Integer threads,
                             Integer logicalBatch, RuntimeVersion runtimeVersion, Double exl2Bits, Boolean noMmap,
                             String gptqKernel, String bnb4bitType, Boolean bnbDoubleQuant, String unquantizedModules) {

    /** No knob given. */
    public static final ServingOptions NONE = new ServingOptions(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    /** The inputs of this block. */
    static final Set<Input> KNOBS = EnumSet.of(Input.INTERCONNECT, Input.SPLIT_MODE, Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS,
            Input.MAX_NUM_BATCHED_TOKENS, Input.ENFORCE_EAGER, Input.MAX_LORA_RANK, Input.THREADS, Input.LOGICAL_BATCH,
            Input.RUNTIME_VERSION, Input.EXL2_BITS, Input.NO_MMAP, Input.GPTQ_KERNEL, Input.BNB_4BIT_TYPE,
            Input.BNB_DOUBLE_QUANT, Input.UNQUANTIZED_MODULES);

    private static final java.util.regex.Pattern MODULE = java.util.regex.Pattern.compile(
            "model\\.layers\\.(\\d+)\\.(mlp|self_attn)");

    /** Checks the ranges of the knobs given ({@link Limits}). */
    public ServingOptions {
        inRange(Input.MAX_MODEL_LEN, maxModelLen);
        inRange(Input.MAX_NUM_SEQS, maxNumSeqs);
        inRange(Input.MAX_NUM_BATCHED_TOKENS, maxNumBatchedTokens);
        inRange(Input.MAX_LORA_RANK, maxLoraRank);
        inRange(Input.THREADS, threads);
        inRange(Input.LOGICAL_BATCH, logicalBatch);
        if (exl2Bits != null && !(exl2Bits >= 1 && exl2Bits <= 16)) {
            throw new InvalidScenarioException(Input.EXL2_BITS.ref(NumberText.plain(exl2Bits))
                    + ": EXL2 weights carry 2 to 8 bits per weight, e.g. exl2-4.65");
        }
        if (gptqKernel != null && !gptqKernel.equals("exllama") && !gptqKernel.equals("cuda-old")) {
            throw new InvalidScenarioException(Input.GPTQ_KERNEL.ref(gptqKernel) + ": the GPTQ kernel is exllama or cuda-old");
        }
        if (bnb4bitType != null && !bnb4bitType.equals("nf4") && !bnb4bitType.equals("fp4")) {
            throw new InvalidScenarioException(Input.BNB_4BIT_TYPE.ref(bnb4bitType) + ": the 4-bit type is nf4 or fp4");
        }
        if (unquantizedModules != null) {
            for (String m : unquantizedModules.split(",")) {
                if (!MODULE.matcher(m.trim()).matches()) {
                    throw new InvalidScenarioException(Input.UNQUANTIZED_MODULES.ref(unquantizedModules) + ": '" + m.trim()
                            + "' is not a block's module; give model.layers.N.mlp or model.layers.N.self_attn, comma-separated");
                }
            }
        }
    }

    /**
     * Whether the checkpoint keeps block {@code layer}'s {@code mlp} or attention ({@code attention} true)
     * in 16 bits ({@link #unquantizedModules}).
     */
    public boolean keepsUnquantized(int layer, boolean attention) {
        if (unquantizedModules == null) {
            return false;
        }
        for (String m : unquantizedModules.split(",")) {
            java.util.regex.Matcher x = MODULE.matcher(m.trim());
            if (x.matches() && Integer.parseInt(x.group(1)) == layer && x.group(2).equals(attention ? "self_attn" : "mlp")) {
                return true;
            }
        }
        return false;
    }

    private static void inRange(Input input, Integer value) {
        if (value != null) {
            Limits.check(input, value.longValue());
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
            case NO_MMAP -> noMmap;
            case GPTQ_KERNEL -> gptqKernel;
            case BNB_4BIT_TYPE -> bnb4bitType;
            case BNB_DOUBLE_QUANT -> bnbDoubleQuant;
            case UNQUANTIZED_MODULES -> unquantizedModules;
            default -> null;
        };
    }

    /** A copy with another interconnect (null: the device's default). */
    public ServingOptions withInterconnect(Interconnect v) {
        return new ServingOptions(v, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another llama.cpp split mode (null: the default). */
    public ServingOptions withSplitMode(SplitMode v) {
        return new ServingOptions(interconnect, v, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another maximum model length (null: the default). */
    public ServingOptions withMaxModelLen(Integer v) {
        return new ServingOptions(interconnect, splitMode, v, maxNumSeqs, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another maximum of running sequences (null: the default). */
    public ServingOptions withMaxNumSeqs(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, v, maxNumBatchedTokens, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another maximum of tokens per step (null: the default). */
    public ServingOptions withMaxNumBatchedTokens(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, v, enforceEager, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with CUDA graphs off (true), on (false) or the default (null). */
    public ServingOptions withEnforceEager(Boolean v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, v, maxLoraRank,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with LoRA enabled at this maximum rank (null: LoRA off). */
    public ServingOptions withMaxLoraRank(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager, v,
                threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another CPU thread count (null: the default). */
    public ServingOptions withThreads(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, v, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with another llama.cpp logical batch (null: the default). */
    public ServingOptions withLogicalBatch(Integer v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, v, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy with EXL2 weights of this many bits per weight (null: not EXL2, or 4.0). */
    public ServingOptions withExl2Bits(Double v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, v, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }

    /** A copy whose llama.cpp reads the weights into memory (true) or maps the file (false, null: the default). */
    public ServingOptions withNoMmap(Boolean v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, exl2Bits, v, gptqKernel, bnb4bitType, bnbDoubleQuant,
                unquantizedModules);
    }

    /** A copy with another transformers GPTQ kernel (null: the default). */
    public ServingOptions withGptqKernel(String v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, v, bnb4bitType, bnbDoubleQuant,
                unquantizedModules);
    }

    /** A copy with another bitsandbytes 4-bit type (null: nf4). */
    public ServingOptions withBnb4bitType(String v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, v, bnbDoubleQuant,
                unquantizedModules);
    }

    /** A copy with bitsandbytes double quantization on, off or (null) the default (on for QLoRA, else off). */
    public ServingOptions withBnbDoubleQuant(Boolean v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType, v,
                unquantizedModules);
    }

    /** A copy keeping these modules in 16 bits (null: none). */
    public ServingOptions withUnquantizedModules(String v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, runtimeVersion, exl2Bits, noMmap, gptqKernel, bnb4bitType,
                bnbDoubleQuant, v);
    }

    /** A copy describing another runtime release (null: the current one). */
    public ServingOptions withRuntimeVersion(RuntimeVersion v) {
        return new ServingOptions(interconnect, splitMode, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enforceEager,
                maxLoraRank, threads, logicalBatch, v, exl2Bits, noMmap, gptqKernel, bnb4bitType, bnbDoubleQuant, unquantizedModules);
    }
}
