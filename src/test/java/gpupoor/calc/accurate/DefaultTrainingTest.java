package gpupoor.calc.accurate;

import gpupoor.calc.CpuOffload;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;
import gpupoor.calc.Options;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;

import gpupoor.catalog.Catalog;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.Measurement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fine-tuning memory and time. */
class DefaultTrainingTest {

    private static final Method DEFAULT = Methods.DEFAULT;
    private static final double MIB = 1024 * 1024;

    private static Scenario training(String model, TrainMethod m, int seq, String device) {
        Catalog c = Catalog.get();
        return new Scenario(c.model(model), Quant.NONE, Framework.HF, Workload.training(m, seq),
                device == null ? null : c.hardware(device), 1, null, Options.NONE);
    }

    private static double measured(String id) {
        Measurement m = MeasuredData.bundled().rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        return Double.parseDouble(m.text("value_norm"));
    }

    @Test
    void loraOnQueryAndValueTrainsFourMillionParametersOfLlama2() {
        // PEFT's print_trainable_parameters for Llama-2-7B, r=8 on q_proj and v_proj: 4,194,304
        Architecture a = Architecture.of(Catalog.get().model("meta-llama/Llama-2-7b-hf"));
        assertEquals(4194304, TrainingMemory.loraParams(a, LoraTargets.QV, 8));
    }

    /** A recipe of full fine-tuning on one GPU with an optimizer and a precision, nothing else switched on. */
    private static TrainingRecipe full(Optimizer o, Precision p) {
        return new TrainingRecipe(TrainMethod.FULL, p, o, false, false, false, false, false, CpuOffload.NONE, 0, false,
                Parallelism.DATA, 1, LoraTargets.QV, 8, false);
    }

    @Test
    void mixedPrecisionAdamNeeds16BytesPerParameter() {
        // ZeRO paper: mixed-precision Adam keeps 2 + 2 + 12 bytes per parameter
        Architecture a = Architecture.of(Catalog.get().model("meta-llama/Llama-2-7b-hf"));
        TrainingMemory t = TrainingMemory.of(a, full(Optimizer.ADAM, Precision.MIXED));
        assertEquals(16.0 * a.totalParams(), t.weights() + t.grads() + t.optimizerState(), 1);
        TrainingMemory sgd = TrainingMemory.of(a, full(Optimizer.SGD, Precision.MIXED));
        assertEquals(8.0 * a.totalParams(), sgd.weights() + sgd.grads() + sgd.optimizerState(), 1);
        // bitsandbytes 8-bit moments: 1 byte each plus an fp32 scale per block of 2048
        TrainingMemory adam8 = TrainingMemory.of(a, full(Optimizer.ADAM_8BIT, Precision.BF16));
        assertEquals((2 + 2 + 2 + 8.0 / 2048) * a.totalParams(), adam8.weights() + adam8.grads() + adam8.optimizerState(), 1);
    }

    @Test
    void loraMemoryIsCloseToLitgpts() {
        // catalog/measured.csv rows 1065 (LoRA) and 1069 (QLoRA): Llama-2-7B, micro-batch 1, longest Alpaca sample
        // 1304 tokens, torch.cuda.max_memory_allocated on an A100 40GB; LitGPT's defaults (bf16-true, dropout 0.05)
        Scenario lora = training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, 1304, "a100-sxm4-40gb")
                .withFramework(Framework.LITGPT);
        assertEquals(measured("1065"), DEFAULT.estimate(lora).memory().totalMiB(), 0.1 * measured("1065"));
        Scenario qlora = training("meta-llama/Llama-2-7b-hf", TrainMethod.QLORA, 1304, "a100-sxm4-40gb")
                .withFramework(Framework.LITGPT);
        assertEquals(measured("1069"), DEFAULT.estimate(qlora).memory().totalMiB(), 0.1 * measured("1069"));
        // batch 2 (row 1071) doubles the activations
        assertEquals(measured("1071"), DEFAULT.estimate(lora.withBatch(2)).memory().totalMiB(), 0.1 * measured("1071"));
    }

    @Test
    void checkpointingKeepsOnlyBlockInputs() {
        Scenario s = training("meta-llama/Llama-3.1-8B", TrainMethod.LORA, 2048, "rtx-4090");
        double plain = DEFAULT.estimate(s).memory().activationMiB();
        double ckpt = DEFAULT.estimate(s.withWorkload(s.workload().withGradientCheckpointing(true))).memory().activationMiB();
        // the loss (14 bytes per logit over a 128k vocabulary) stays; the 32 blocks' saved tensors go
        assertTrue(ckpt < plain / 3, ckpt + " vs " + plain);
        // ... and costs a recomputed forward pass
        double t = DEFAULT.estimate(s).training().msPerIteration();
        double tc = DEFAULT.estimate(s.withWorkload(s.workload().withGradientCheckpointing(true))).training().msPerIteration();
        assertTrue(tc > 1.3 * t);
    }

    @Test
    void eagerAttentionKeepsTheScoreMatrix() {
        Scenario s = training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, 4096, null);
        double sdpa = DEFAULT.estimate(s).memory().activationMiB();
        double eager = DEFAULT.estimate(s.withOptions(Options.NONE.withFlashAttention(false))).memory().activationMiB();
        // 32 layers x 32 heads x 4096 x 4096 x 8 bytes = 128 GiB more
        assertEquals(131072, eager - sdpa, 1);
    }

    @Test
    void moreLoraTargetsTrainMoreAndSaveMore() {
        Scenario qv = training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, 512, null);
        Scenario all = qv.withOptions(Options.NONE.withLoraTargets(LoraTargets.ALL));
        Estimate a = DEFAULT.estimate(qv);
        Estimate b = DEFAULT.estimate(all);
        assertTrue(b.memory().gradOptimizerMiB() > 4 * a.memory().gradOptimizerMiB());
        assertTrue(b.memory().activationMiB() > a.memory().activationMiB());
    }

    @Test
    void fullFineTuningTimeIsSixFlopsPerParameterAndToken() {
        Scenario s = training("meta-llama/Llama-2-7b-hf", TrainMethod.FULL, 2048, "a100-sxm4-80gb");
        Estimate e = DEFAULT.estimate(s);
        assertNotNull(e.training());
        // the time cannot beat 6 x P x tokens at the card's dense bf16 peak (312 TFLOPS)
        double floorMs = 6 * 6.74e9 * 2048 / 312e12 * 1000;
        assertTrue(e.training().msPerIteration() > floorMs);
        Estimate lora = DEFAULT.estimate(training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, 2048, "a100-sxm4-80gb"));
        assertTrue(lora.training().msPerIteration() < e.training().msPerIteration());
    }

    @Test
    void dataParallelReplicatesShardedSplits() {
        Scenario s = training("meta-llama/Llama-2-7b-hf", TrainMethod.FULL, 512, "a10g").withDeviceCount(4);
        double ddp = DEFAULT.estimate(s).budget().requiredMiB();
        double fsdp = DEFAULT.estimate(s.withOptions(Options.NONE.withParallelism(Parallelism.SHARDED)))
                .budget().requiredMiB();
        // 16 bytes per parameter: 108 GB on each GPU replicated, a quarter of it sharded (plus the gathered units)
        assertTrue(ddp * MIB > 16 * 6.7e9);
        assertTrue(fsdp < ddp / 2.5, fsdp + " vs " + ddp);
    }

    @Test
    void quantizedBasesNeedAdapters() {
        Scenario full = training("meta-llama/Llama-2-7b-hf", TrainMethod.FULL, 512, null).withQuant(Quant.BNB_NF4);
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> DEFAULT.estimate(full));
        assertTrue(e.getMessage().contains("full fine-tuning"), e.getMessage());
        Scenario gguf = training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, 512, null).withQuant(Quant.Q4_K_M);
        assertThrows(InvalidScenarioException.class, () -> DEFAULT.estimate(gguf));
    }

    // ------------------------------------------------------------------ recipes and runtimes

    private static Scenario recipe(String options) {
        List<String> args = new java.util.ArrayList<>(List.of("--mode", "training"));
        args.addAll(gpupoor.args.ScenarioArgs.split(options));
        return gpupoor.args.ScenarioArgs.parse(args).builder(Catalog.get()).build();
    }

    private static Estimate estimate(String options) {
        return DEFAULT.estimate(recipe(options));
    }

    private static double needed(String options) {
        return estimate(options).budget().requiredMiB();
    }

    @Test
    void torchtuneFullFineTuningOnOneGpuUsesItsShippedRecipe() {
        Scenario s = recipe("--model meta-llama/Llama-3.1-8B --gpu rtx-4090 --framework torchtune --method full "
                + "--prompt 2048 --batch 2");
        assertEquals(Optimizer.PAGED_ADAM_8BIT, s.workload().optimizer());
        assertTrue(s.workload().gradientCheckpointing());
        Estimate e = DEFAULT.estimate(s);
        String all = String.join("\n", e.assumptions());
        assertTrue(all.contains("bf16 precision") && all.contains("optimizer step in the backward pass"), all);
        // bf16 weights (15.0 GiB) and one gradient at a time; the paged 8-bit states (2 bytes per parameter) live in
        // unified memory, so the run fits the 24 GB card
        assertTrue(e.budget().fits(), all);
        assertTrue(all.contains("paged optimizer states"), all);
        // on several GPUs its distributed recipe: AdamW, FSDP
        Scenario four = recipe("--model meta-llama/Llama-3.1-8B --gpu rtx-4090 --gpus 4 --framework torchtune "
                + "--method full --prompt 2048");
        assertEquals(Optimizer.ADAMW, four.workload().optimizer());
        assertEquals(Parallelism.SHARDED, four.framework().defaultParallelism(four.workload().mode()));
    }

    @Test
    void optimizerInBackwardHoldsOneGradientAtATime() {
        String base = "--model meta-llama/Llama-3.2-1B --gpu h100-sxm5-80gb --method full --precision bf16 --prompt 16";
        double plain = needed(base);
        double oib = needed(base + " --optimizer-in-backward");
        Architecture a = Architecture.of(Catalog.get().model("meta-llama/Llama-3.2-1B"));
        // with 16 tokens the activations are negligible: every bf16 gradient at the end of the backward pass,
        // against the largest one (the embedding)
        double saved = 2 * (a.totalParams() - TrainingPlan.largestTensorParams(a)) / MIB;
        assertTrue(plain - oib > 0.9 * saved && plain - oib < 1.01 * saved, (plain - oib) + " vs " + saved);
    }

    @Test
    void pagedOptimizerStatesStayOffTheGpu() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu a100-sxm4-80gb --method full --precision bf16 --prompt 512 "
                + "--optimizer-in-backward";
        Estimate paged = estimate(base + " --optimizer paged-adam-8bit");
        Estimate plain = estimate(base + " --optimizer adam-8bit");
        double states = 2 * Architecture.of(Catalog.get().model("meta-llama/Llama-3.1-8B")).totalParams() / MIB;
        assertEquals(states, plain.budget().requiredMiB() - paged.budget().requiredMiB(), 0.01 * states);
        // the 8B model's 15 GiB of paged states fit next to it on an 80 GB card: nothing is streamed each step
        assertEquals(plain.training().msPerIteration(), paged.training().msPerIteration(), 1e-6);
        // on a 24 GB card they do not: they are paged over PCIe every step
        String small = base.replace("a100-sxm4-80gb", "rtx-4090");
        assertTrue(estimate(small + " --optimizer paged-adam-8bit").training().msPerIteration()
                > 2 * estimate(small + " --optimizer adam-8bit").training().msPerIteration());
    }

    @Test
    void chunkedLossDropsTheFp32Logits() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu h100-sxm5-80gb --method lora --prompt 8192 --grad-checkpointing";
        double plain = needed(base);
        double chunked = needed(base + " --chunked-loss");
        // 14 bytes per logit over 8192 x 128256 logits: 13.7 GiB; the fused loss keeps one chunk in flight
        assertTrue(plain - chunked > 10 * 1024, plain + " vs " + chunked);
    }

    @Test
    void unslothsOffloadedCheckpointsTrainLongerSequences() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu a100-sxm4-80gb --method qlora --lora-rank 32 "
                + "--lora-targets all --grad-checkpointing";
        gpupoor.calc.Fit fit = gpupoor.calc.Fit.of(DEFAULT);
        int hf = fit.maxSequence(recipe(base + " --framework hf")).value();
        int unsloth = fit.maxSequence(recipe(base + " --framework unsloth")).value();
        assertTrue(unsloth > 5 * hf, unsloth + " vs " + hf);
        assertTrue(String.join("\n", estimate(base + " --framework unsloth --prompt 4096").assumptions())
                .contains("block inputs in host memory"));
    }

    @Test
    void activationOffloadingTradesHostTrafficForMemory() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu h100-sxm5-80gb --method lora --prompt 4096 --framework torchtune "
                + "--grad-checkpointing no";
        Estimate kept = estimate(base);
        Estimate off = estimate(base + " --activation-offloading");
        assertTrue(off.memory().activationMiB() < kept.memory().activationMiB() / 4);
        assertTrue(off.training().msPerIteration() >= kept.training().msPerIteration());
    }

    @Test
    void compileFusesKernelsAndRunsFaster() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu h100-sxm5-80gb --method lora --prompt 4096 --framework torchtune "
                + "--grad-checkpointing no";
        Estimate eager = estimate(base);
        Estimate compiled = estimate(base + " --compile");
        assertTrue(compiled.memory().activationMiB() < eager.memory().activationMiB());
        assertEquals(1.3, eager.training().msPerIteration() / compiled.training().msPerIteration(), 0.05);
    }

    @Test
    void cpuOffloadMovesTheOptimizerToHostMemory() {
        String base = "--model meta-llama/Llama-2-7b-hf --gpu rtx-4090 --gpus 2 --method full --zero 3 --prompt 1024 "
                + "--grad-checkpointing";
        Estimate gpu = estimate(base);
        Estimate off = estimate(base + " --cpu-offload optimizer");
        assertTrue(off.budget().requiredMiB() < gpu.budget().requiredMiB() / 3);
        assertTrue(off.training().msPerIteration() > gpu.training().msPerIteration());
        assertTrue(String.join("\n", off.assumptions()).contains("host memory"), off.assumptions().toString());
    }

    @Test
    void checkpointingCostsAForwardPass() {
        String base = "--model meta-llama/Llama-3.1-8B --gpu h100-sxm5-80gb --method full --prompt 4096 --zero 3 --gpus 8";
        double plain = estimate(base + " --grad-checkpointing no").training().msPerIteration();
        double ckpt = estimate(base + " --grad-checkpointing").training().msPerIteration();
        assertTrue(ckpt > 1.2 * plain && ckpt < 1.4 * plain, ckpt + " vs " + plain);
    }

    @Test
    void runtimesRefuseWhatTheyCannotDo() {
        InvalidScenarioException several = assertThrows(InvalidScenarioException.class,
                () -> estimate("--model meta-llama/Llama-3.1-8B --gpu rtx-4090 --gpus 2 --framework unsloth --method qlora"));
        assertTrue(several.getMessage().contains("Unsloth trains on one GPU"), several.getMessage());
        InvalidScenarioException inference = assertThrows(InvalidScenarioException.class,
                () -> gpupoor.args.ScenarioArgs.parse(List.of("--model", "7B", "--framework", "torchtune"))
                        .builder(Catalog.get()).build());
        assertTrue(inference.getMessage().contains("fine-tuning only"), inference.getMessage());
        InvalidScenarioException zero = assertThrows(InvalidScenarioException.class,
                () -> estimate("--model 7B --gpu rtx-4090 --gpus 2 --method full --zero 2 --parallelism tensor"));
        assertTrue(zero.getMessage().contains("shards data-parallel training"), zero.getMessage());
        InvalidScenarioException knob = assertThrows(InvalidScenarioException.class,
                () -> gpupoor.args.ScenarioArgs.parse(List.of("--model", "7B", "--compile")).builder(Catalog.get()).build());
        assertTrue(knob.getMessage().contains("applies to fine-tuning"), knob.getMessage());
    }

    @Test
    void litgptLoadsTheWholeModelOnEveryGpu() {
        // rows 1081-1087: LitGPT's FSDP LoRA runs peak at about the whole model plus a shard, whatever the batch
        Estimate e = estimate("--model meta-llama/Llama-2-7b-hf --gpu a100-sxm4-40gb --gpus 2 --framework litgpt "
                + "--method lora --prompt 1304");
        assertTrue(String.join("\n", e.assumptions()).contains("the peak comes while loading"), e.assumptions().toString());
        assertEquals(measured("1081"), e.budget().requiredMiB(), 0.1 * measured("1081"));
    }
}
