package gpupoor.cli;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.ScenarioRequest;
import gpupoor.dsl.Setup;
import picocli.CommandLine.Option;

/**
 * The options that describe one scenario, shared by {@code estimate}, {@code sweep} and
 * {@code fit}, resolved through {@link ScenarioRequest} so defaults and messages are the same
 * everywhere.
 */
final class ScenarioOptions {
    @Option(names = "--model", paramLabel = "ID|PATH", description = "Catalog or Hugging Face id, or a config.json path.")
    String model;
    @Option(names = "--size", paramLabel = "BILLIONS", description = "Model size in billions of parameters (when no --model).")
    String size;
    @Option(names = "--mode", paramLabel = "MODE", description = "inference (default) or training.")
    String mode;
    @Option(names = "--framework", paramLabel = "FW", description = "hf, vllm or llama.cpp (default: llama.cpp for gguf quants and CPUs, else hf).")
    String framework;
    @Option(names = "--quant", paramLabel = "Q", description = "none, bnb-int8, bnb-nf4, gguf-Q2_K ... gguf-Q8_0 (the default method accepts more: fp32, fp8, gptq-int4, awq-int4, gguf-Q3_K_S, gguf-Q5_K_S, gguf-F16).")
    String quant;
    @Option(names = "--method", paramLabel = "M", description = "Fine-tuning method: full, lora or qlora.")
    String method;
    @Option(names = "--optimizer", paramLabel = "OPT", description = "adam (default) or sgd (the default method also: adamw, adam-8bit, sgd-momentum).")
    String optimizer;
    @Option(names = "--grad-checkpointing", description = "Recompute activations in the backward pass.")
    boolean gradCheckpointing;
    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank (default 8; the gpu-poor method always uses 8).")
    String loraRank;
    @Option(names = "--prompt", paramLabel = "N", description = "Prompt tokens (training: sequence length). Default 512.")
    String prompt;
    @Option(names = "--gen", paramLabel = "N", description = "Tokens to generate. Default 512 (1 in training).")
    String gen;
    @Option(names = "--batch", paramLabel = "N", description = "Batch size. Default 1.")
    String batch;
    @Option(names = "--gpu", paramLabel = "ID", description = "GPU id (e.g. rtx-4090, a100-sxm4-80gb, or the original's A100-80GB) or Apple chip id.")
    String gpu;
    @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs. Default 1.")
    String gpus;
    @Option(names = "--cpu", paramLabel = "ID", description = "CPU id (e.g. ryzen-9-7950x, or the original's 7950x).")
    String cpu;
    @Option(names = "--ddr", paramLabel = "DDR", description = "ddr4 or ddr5 for a CPU (default: the fastest it supports).")
    String ddr;
    @Option(names = "--kv-cache", paramLabel = "TYPE", description = "KV cache type (default method): f16 (default), fp8 (vLLM), q8_0 or q4_0 (llama.cpp).")
    String kvCache;
    @Option(names = "--flash-attention", paramLabel = "ON|OFF", description = "Flash attention on or off (default: llama.cpp off, hf SDPA, vLLM on).")
    String flashAttention;
    @Option(names = "--gpu-memory-utilization", paramLabel = "X", description = "vLLM's share of GPU memory, (0, 1]; default 0.9.")
    String gpuMemoryUtilization;
    @Option(names = "--ubatch", paramLabel = "N", description = "llama.cpp physical batch (-ub); default 512.")
    String ubatch;
    @Option(names = "--gpu-layers", paramLabel = "N", description = "llama.cpp layers on the GPU (-ngl): all (default), 0 (CPU only) or a count.")
    String gpuLayers;
    @Option(names = "--parallelism", paramLabel = "P", description = "How several GPUs share the model: tensor, layer, data or sharded (default: llama.cpp and hf layer, vLLM tensor, training data).")
    String parallelism;
    @Option(names = "--lora-targets", paramLabel = "M", description = "LoRA target modules: q,v (default), all, or a list of q,k,v,o,gate,up,down.")
    String loraTargets;
    @Option(names = "--precision", paramLabel = "P", description = "Full fine-tuning precision: mixed (default: bf16 + fp32 master and states), bf16 or fp32.")
    String precision;
    @Option(names = "--host-bandwidth", paramLabel = "GBS", description = "Host memory bandwidth in GB/s for llama.cpp layers left on the CPU (default: a dual-channel desktop).")
    String hostBandwidth;
    @Option(names = "--calc", paramLabel = "METHOD", description = "default (ours) or gpu-poor (the original's numbers).")
    String calc = "default";

    /**
     * The scenario request the options describe (checked: --gpu or --cpu, --gpus only with GPUs).
     *
     * @throws InvalidScenarioException on conflicting options
     */
    ScenarioRequest request() {
        if (gpu != null && cpu != null) {
            throw new InvalidScenarioException("give either --gpu or --cpu, not both");
        }
        if (cpu != null && gpus != null) {
            throw new InvalidScenarioException("--gpus applies to GPUs; a CPU estimate is for one socket");
        }
        ScenarioRequest.Knobs knobs = new ScenarioRequest.Knobs(kvCache, flashAttention, gpuMemoryUtilization, ubatch,
                gpuLayers, parallelism, loraTargets, precision, hostBandwidth);
        return new ScenarioRequest(model, size, mode, framework, quant, method, optimizer,
                Boolean.toString(gradCheckpointing), prompt, gen, batch, gpu != null ? gpu : cpu, ddr, gpus, loraRank,
                knobs);
    }

    /** The calculation method the options name. */
    Method method() {
        return Methods.parse(calc);
    }

    /**
     * The setup the options describe; its framework follows the quantization and device unless
     * --framework is given.
     */
    Setup setup() {
        Setup s = Setup.of(request().resolve(Catalog.get()), method());
        return framework == null ? s.defaultFramework() : s;
    }
}
