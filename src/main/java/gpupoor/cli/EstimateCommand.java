package gpupoor.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gpupoor.calc.Budget;
import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.SeedFormat;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.ScenarioRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code estimate}: memory breakdown, speed and training time of one scenario, or of every row of a CSV file. */
@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate memory, tokens/s and fine-tuning time for one scenario (JSON on stdout),",
                "or for every row of a CSV file with --csv (CSV on stdout).",
                "Memory is in MiB. Bad input exits with code 2 and a message."})
public final class EstimateCommand implements Callable<Integer> {

    /** JSON output: insertion order kept, BigDecimals as plain decimals. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

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
    @Option(names = "--explain", description = "Add the memory rule's verdict (budget), notes and the assumptions behind the numbers to the output.")
    boolean explain;
    @Option(names = "--csv", paramLabel = "FILE", description = "Estimate every row of FILE (columns: case,model,size,mode,framework,quant,method,optimizer,grad_ckpt,prompt,gen,batch,device,ddr,gpus).")
    Path csv;

    @Override
    public Integer call() throws Exception {
        Method m = Methods.parse(calc);
        PrintWriter out = spec.commandLine().getOut();
        if (csv != null) {
            new CsvEstimates(m).run(csv, out);
            out.flush();
            return 0;
        }
        if (gpu != null && cpu != null) {
            throw new InvalidScenarioException("give either --gpu or --cpu, not both");
        }
        ScenarioRequest.Knobs knobs = new ScenarioRequest.Knobs(kvCache, flashAttention, gpuMemoryUtilization, ubatch,
                gpuLayers, parallelism, loraTargets, precision, hostBandwidth);
        ScenarioRequest request = new ScenarioRequest(model, size, mode, framework, quant, method, optimizer,
                Boolean.toString(gradCheckpointing), prompt, gen, batch, gpu != null ? gpu : cpu, ddr, gpus, loraRank,
                knobs);
        if (cpu != null && gpus != null) {
            throw new InvalidScenarioException("--gpus applies to GPUs; a CPU estimate is for one socket");
        }
        Estimate e = m.estimate(request.resolve(Catalog.get()));
        Map<String, Object> json = new LinkedHashMap<>(SeedFormat.of(e));
        if (e.gpusNeeded() != null) {
            json.put("GPUs needed", e.gpusNeeded());
        }
        if (explain) {
            if (e.budget() != null) {
                json.put("budget", budget(e.budget()));
            }
            json.put("notes", e.notes());
            json.put("assumptions", e.assumptions());
        }
        for (String note : e.notes()) {
            spec.commandLine().getErr().println("note: " + note);
        }
        out.println(JSON.writeValueAsString(json));
        out.flush();
        return 0;
    }

    /** The budget as JSON fields (MiB rounded to 1 decimal). */
    static Map<String, Object> budget(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", b.rule());
        m.put("fits", b.fits());
        m.put("usable MiB per device", Double.isNaN(b.usableMiB()) ? null
                : new java.math.BigDecimal(b.usableMiB()).setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("needed MiB on the most loaded device", new java.math.BigDecimal(b.requiredMiB())
                .setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("CUDA context MiB per device", new java.math.BigDecimal(b.runtimeContextMiB())
                .setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("max concurrent sequences", b.maxConcurrency());
        m.put("max context tokens", b.maxContextTokens());
        return m;
    }
}
