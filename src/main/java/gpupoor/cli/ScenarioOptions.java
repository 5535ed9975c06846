package gpupoor.cli;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.ScenarioRequest;
import gpupoor.dsl.Setup;
import picocli.CommandLine.Option;

/**
 * The options that describe one scenario, shared by {@code sweep} and {@code fit} (the same as
 * {@code estimate}'s), resolved through {@link ScenarioRequest} so defaults and messages are the
 * same everywhere.
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
    @Option(names = "--quant", paramLabel = "Q", description = "none, bnb-int8, bnb-nf4, gguf-Q4_K_M, ... (see estimate --help).")
    String quant;
    @Option(names = "--method", paramLabel = "M", description = "Fine-tuning method: full, lora or qlora.")
    String method;
    @Option(names = "--optimizer", paramLabel = "OPT", description = "adam (default), sgd, adamw, adam-8bit, sgd-momentum.")
    String optimizer;
    @Option(names = "--grad-checkpointing", description = "Recompute activations in the backward pass.")
    boolean gradCheckpointing;
    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank (default 8).")
    String loraRank;
    @Option(names = "--prompt", paramLabel = "N", description = "Prompt tokens (training: the sequence length). Default 512.")
    String prompt;
    @Option(names = "--gen", paramLabel = "N", description = "Tokens to generate. Default 512 (1 in training).")
    String gen;
    @Option(names = "--batch", paramLabel = "N", description = "Batch size. Default 1.")
    String batch;
    @Option(names = "--gpu", paramLabel = "ID", description = "GPU id (e.g. rtx-4090, a100-sxm4-80gb) or Apple chip id.")
    String gpu;
    @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs. Default 1.")
    String gpus;
    @Option(names = "--cpu", paramLabel = "ID", description = "CPU id (e.g. ryzen-9-7950x).")
    String cpu;
    @Option(names = "--ddr", paramLabel = "DDR", description = "ddr4 or ddr5 for a CPU (default: the fastest it supports).")
    String ddr;
    @Option(names = "--calc", paramLabel = "METHOD", description = "default (ours) or gpu-poor (the original's numbers).")
    String calc = "default";

    /**
     * The setup the options describe; its framework follows the quantization and device unless
     * --framework is given.
     */
    Setup setup() {
        if (gpu != null && cpu != null) {
            throw new InvalidScenarioException("give either --gpu or --cpu, not both");
        }
        if (cpu != null && gpus != null) {
            throw new InvalidScenarioException("--gpus applies to GPUs; a CPU estimate is for one socket");
        }
        ScenarioRequest request = new ScenarioRequest(model, size, mode, framework, quant, method, optimizer,
                Boolean.toString(gradCheckpointing), prompt, gen, batch, gpu != null ? gpu : cpu, ddr, gpus, loraRank);
        Setup s = Setup.of(request.resolve(Catalog.get()), Methods.parse(calc));
        return framework == null ? s.defaultFramework() : s;
    }
}
