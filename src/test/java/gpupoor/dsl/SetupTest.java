package gpupoor.dsl;

import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.TrainingOptions;
import gpupoor.catalog.Catalog;
import gpupoor.dsl.Ladder;
import gpupoor.args.ScenarioArgs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static gpupoor.dsl.Dsl.apple;
import static gpupoor.dsl.Dsl.cpu;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.gpus;
import static gpupoor.dsl.Dsl.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Setups and devices: immutability, defaults, name checks and the mapping onto engine scenarios. */
class SetupTest {

    @Test
    void everyCallReturnsANewSetupAndLeavesTheOriginal() {
        Setup s = model("meta-llama/Llama-2-7b-hf");
        Setup t = s.on(gpu("rtx-4090")).quant(Quant.Q4_K_M).prompt(1000).generate(100).batch(4);
        assertEquals(null, s.device());
        assertEquals(Quant.NONE, s.quant());
        assertEquals(512, s.workload().promptTokens());
        assertEquals(1000, t.workload().promptTokens());
        assertEquals(100, t.workload().generateTokens());
        assertEquals(4, t.workload().batch());
        assertEquals("rtx-4090", t.device().id());
        assertEquals(1100, t.context());
    }

    @Test
    void theReferenceScenarioGivesTheOriginalsNumbers() {
        // docs/gpu_poor-reference.md §10.1: Llama-2-7b-hf, prompt 500 + 500, rtx-4090, no quantization: 14603 MiB
        Report r = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).prompt(500).generate(500)
                .using(Methods.GPU_POOR).estimate();
        assertEquals(14603, (long) Math.ceil(r.memory().totalMiB()), "the original ceils memory");
        assertEquals(38, Math.round(r.speed().tokensPerSecond()));
        assertEquals(Boolean.TRUE, r.fits());
    }

    @Test
    void estimateIsTheMethodsEstimateOfTheScenario() {
        Setup s = model("mistralai/Mistral-7B-v0.1").on(gpus(2, "rtx-3090")).quant("bnb-nf4").batch(3)
                .using("gpu-poor");
        assertEquals(Methods.GPU_POOR.estimate(s.scenario()), s.estimate().estimate());
        assertEquals(2, s.scenario().deviceCount());
    }

    @Test
    void frameworkFollowsQuantAndDeviceUnlessGiven() {
        Setup s = model("7B");
        assertEquals(Framework.HF, s.framework());
        assertEquals(Framework.LLAMA_CPP, s.quant(Quant.Q4_K_M).framework());
        assertEquals(Framework.HF, s.quant(Quant.Q4_K_M).quant(Quant.BNB_INT8).framework());
        assertEquals(Framework.LLAMA_CPP, s.on(cpu("7950x")).framework());
        assertEquals(Framework.LLAMA_CPP, s.on(apple("m2-max-38c-96gb")).framework());
        Setup vllm = s.framework(Framework.VLLM);
        assertEquals(Framework.VLLM, vllm.quant(Quant.AWQ_INT4).framework());
        assertEquals(Framework.LLAMA_CPP, vllm.quant(Quant.Q4_K_M).defaultFramework().framework());
    }

    @Test
    void frameworkDefaultIsTheCommandLines() {
        for (String device : new String[] {null, "rtx-4090", "ryzen-9-7950x", "m2-max-38c-96gb"}) {
            for (Quant q : Quant.values()) {
                Setup s = model("meta-llama/Llama-2-7b-hf").quant(q);
                s = device == null ? s : s.on(device);
                Scenario cli = cli(device, "--quant=" + q.id());
                assertEquals(cli.framework(), s.framework(), q + " on " + device);
                if (!q.isGguf()) {
                    Scenario cliTraining = cli(device, "--quant=" + q.id(), "--mode=training", "--method=lora");
                    assertEquals(cliTraining.framework(), s.finetune(TrainMethod.LORA).framework(), "training " + q + " on " + device);
                }
            }
        }
    }

    /** The scenario the command line makes of Llama-2-7B with {@code options} on {@code device} (null: none). */
    private static Scenario cli(String device, String... options) {
        List<String> args = new ArrayList<>(List.of("--model=meta-llama/Llama-2-7b-hf"));
        args.addAll(List.of(options));
        if (device != null) {
            args.add("--device=" + device);
        }
        return ScenarioArgs.parse(args).builder(Catalog.get()).build();
    }

    @Test
    void finetuneSwitchesToATrainableSetup() {
        Setup s = model("meta-llama/Llama-2-7b-hf").framework(Framework.LLAMA_CPP).quant(Quant.Q4_K_M).prompt(1024);
        Setup lora = s.finetune(TrainMethod.LORA).rank(16).optimizer(Optimizer.ADAMW).gradientCheckpointing();
        assertTrue(lora.isTraining());
        assertEquals(Framework.HF, lora.framework());
        assertEquals(Quant.NONE, lora.quant(), "GGUF weights cannot be trained");
        assertEquals(1024, lora.workload().promptTokens());
        assertEquals(1, lora.workload().generateTokens());
        assertEquals(16, lora.workload().loraRank());
        assertEquals(Optimizer.ADAMW, lora.workload().optimizer());
        assertTrue(lora.workload().gradientCheckpointing());
        assertEquals(Quant.NONE, model("7B").quant(Quant.BNB_NF4).finetune("qlora").quant());
        assertEquals(Quant.BNB_INT8, model("7B").quant(Quant.BNB_INT8).finetune(TrainMethod.LORA).quant());
        assertEquals(2048, lora.sequence(2048).workload().promptTokens());
    }

    @Test
    void fineTuningKnobsOnAnInferenceSetupSayWhatToDo() {
        Setup s = model("7B");
        for (Runnable r : new Runnable[] {() -> s.rank(8), () -> s.sequence(10), () -> s.optimizer("adamw"),
                () -> s.gradientCheckpointing()}) {
            InvalidScenarioException e = assertThrows(InvalidScenarioException.class, r::run);
            assertTrue(e.getMessage().contains("finetune(LORA)"), e.getMessage());
        }
    }

    @Test
    void runtimeKnobsSetOneOptionAndKeepTheOthers() {
        Setup s = model("meta-llama/Llama-2-7b-hf").on(gpus(2, "rtx-4090")).quant(Quant.Q4_K_M)
                .kvCache("q8_0").flashAttention(true).ubatch(256).gpuLayers(20).hostBandwidth(80).parallelism("tensor");
        assertEquals(new Options(KvCacheType.Q8_0, true, null, 256, 20, Parallelism.TENSOR, null, null, 80.0, ServingOptions.NONE,
                TrainingOptions.NONE), s.options());
        Setup lora = model("meta-llama/Llama-2-7b-hf").on(gpu("a100-sxm4-80gb")).finetune(TrainMethod.FULL)
                .precision("bf16").loraTargets("q_proj", "k", "v", "o").kvCache("q8_0").ubatch(128)
                .parallelism(Parallelism.SHARDED);
        assertEquals("q,k,v,o", lora.options().loraTargets().id(), "later knobs keep the LoRA targets");
        assertEquals(Precision.BF16, lora.options().precision(), "later knobs keep the precision");
        assertEquals(Options.NONE.withPrecision(Precision.FP32), model("7B").finetune(TrainMethod.FULL)
                .options(Options.NONE.withPrecision(Precision.FP32)).options());
        String text = s.toText();
        assertTrue(text.contains("(KV cache q8_0, flash attention on, ubatch 256, "
                + "20 layers on the GPU, host memory 80 GB/s, tensor parallel)"), text);
        assertTrue(!model("7B").toText().contains("("), "default options are not listed");
    }

    @Test
    void runtimeKnobsReachTheDefaultMethod() {
        Setup base = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).quant(Quant.Q4_K_M).flashAttention(true)
                .prompt(4096);
        Report f16 = base.estimate();
        Report q4 = base.kvCache("q4_0").estimate();
        assertEquals(Methods.DEFAULT.estimate(base.kvCache("q4_0").scenario()), q4.estimate());
        assertTrue(q4.memory().kvCacheMiB() < f16.memory().kvCacheMiB() / 3,
                q4.memory().kvCacheMiB() + " vs " + f16.memory().kvCacheMiB());
        Setup lora = model("meta-llama/Llama-2-7b-hf").on(gpu("a100-sxm4-80gb")).finetune(TrainMethod.LORA).sequence(1024);
        double qv = lora.estimate().memory().gradOptimizerMiB();
        double all = lora.loraTargets("all").estimate().memory().gradOptimizerMiB();
        assertTrue(all > 2 * qv, "adapters on every projection train more parameters: " + all + " vs " + qv);
        Setup full = model("meta-llama/Llama-2-7b-hf").on(gpu("a100-sxm4-80gb")).finetune(TrainMethod.FULL);
        assertTrue(full.precision("fp32").estimate().memory().weightsMiB() > 1.9 * full.estimate().memory().weightsMiB());
    }

    @Test
    void runtimeKnobsCheckTheirValues() {
        Setup s = model("7B");
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> s.loraTargets("q", "v"));
        assertTrue(e.getMessage().contains("finetune(LORA)"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.precision("bf16"));
        assertTrue(e.getMessage().contains("finetune(LORA)"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.finetune(TrainMethod.LORA).loraTargets("q", "gte"));
        assertTrue(e.getMessage().contains("unknown LoRA target 'gte'") && e.getMessage().contains("gate"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.finetune(TrainMethod.FULL).precision("fp16"));
        assertTrue(e.getMessage().contains("mixed, bf16, fp32"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.gpuMemoryUtilization(1.5));
        assertTrue(e.getMessage().contains("above 0 and at most 1"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.parallelism("pipe"));
        assertTrue(e.getMessage().contains("tensor, layer, data, sharded"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.kvCache("q3"));
        assertTrue(e.getMessage().contains("q8_0"), e.getMessage());
        assertThrows(InvalidScenarioException.class, () -> s.ubatch(0));
        assertThrows(InvalidScenarioException.class, () -> s.gpuLayers(-2));
        assertThrows(InvalidScenarioException.class, () -> s.hostBandwidth(-1));
    }

    @Test
    void namesAreCheckedWithDidYouMean() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> gpu("rtx-409"));
        assertTrue(e.getMessage().contains("did you mean") && e.getMessage().contains("rtx-4090"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> model("meta-llama/Llama-3.1-8"));
        assertTrue(e.getMessage().contains("did you mean"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> model("7B").quant("Q4_K_X"));
        assertTrue(e.getMessage().contains("gguf-Q4_K_M"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> gpu("7950x"));
        assertTrue(e.getMessage().contains("cpu(\"7950x\")"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> cpu("rtx-4090"));
        assertTrue(e.getMessage().contains("gpu(\"rtx-4090\")"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> model("7B").prompt(0));
        assertTrue(e.getMessage().contains(".prompt(0): prompt length must be an integer from 1 to 2,147,483,647"), e.getMessage());
    }

    @Test
    void devicesCheckCountsAndMemoryTypes() {
        Device d = cpu("7950x").ddr5();
        assertEquals("ddr5", d.ddr().toString());
        assertEquals(d.ddr(), model("7B").on(d).scenario().ddr());
        assertThrows(InvalidScenarioException.class, () -> gpu("rtx-4090").ddr4());
        assertThrows(InvalidScenarioException.class, () -> cpu("7950x").times(2));
        assertThrows(InvalidScenarioException.class, () -> gpus(0, "rtx-4090"));
        assertEquals(160, gpus(2, "a100-sxm4-80gb").memoryGiB());
        assertTrue(gpus(2, "a100-sxm4-80gb").toText().startsWith("2 × A100 SXM4 80GB"));
    }

    @Test
    void methodsAreChosenByConstantOrId() {
        assertSame(Methods.GPU_POOR, model("7B").using(Dsl.GPU_POOR).method());
        assertSame(Methods.DEFAULT, model("7B").method());
        assertThrows(InvalidScenarioException.class, () -> model("7B").using("gpupoorx"));
    }

    @Test
    void textSaysWhatTheSetupIs() {
        String t = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).quant(Quant.Q4_K_M).finetune(TrainMethod.QLORA)
                .sequence(2048).batch(4).toString();
        assertTrue(t.contains("QLoRA fine-tuning") && t.contains("sequence 2,048 tokens") && t.contains("batch 4")
                && t.contains("GeForce RTX 4090"), t);
    }

    @Test
    void fineTuningTechniquesAreCallsThatReachTheEngine() {
        Setup s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).finetune(TrainMethod.FULL).framework("torchtune")
                .compile().chunkedLoss(false).optimizerInBackward(false).activationOffloading().cpuOffload("optimizer")
                .zero(2).optimizer(Optimizer.PAGED_ADAMW);
        TrainingOptions t = s.options().training();
        assertEquals(new TrainingOptions(true, false, false, true, gpupoor.calc.CpuOffload.OPTIMIZER, 2), t);
        assertEquals(Optimizer.PAGED_ADAMW, s.workload().optimizer());
        String text = s.toText();
        assertTrue(text.contains("compile on") && text.contains("CPU offload optimizer") && text.contains("ZeRO-2"), text);
        // a technique on an inference setup says what to do, in the DSL's words
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> model("7B").compile());
        assertTrue(e.getMessage().contains("finetune(LORA)"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.cpuOffload("gpu"));
        assertTrue(e.getMessage().contains("accepted: none, optimizer, params, all"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> s.zero(4).scenario());
        assertTrue(e.getMessage().contains(".zero(4)"), e.getMessage());
    }

    @Test
    void aTrainingRuntimesDefaultsFollowItWhenItChanges() {
        Setup s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).finetune(TrainMethod.LORA);
        assertEquals(Optimizer.ADAM, s.workload().optimizer());
        assertEquals(false, s.workload().gradientCheckpointing());
        Setup unsloth = s.framework(Framework.UNSLOTH);
        assertEquals(Optimizer.ADAM_8BIT, unsloth.workload().optimizer());
        assertTrue(unsloth.workload().gradientCheckpointing());
        assertEquals(16, unsloth.workload().loraRank());
        // what the user says wins over the runtime's default
        assertEquals(false, unsloth.gradientCheckpointing(false).workload().gradientCheckpointing());
        assertEquals(8, s.rank(8).framework(Framework.UNSLOTH).workload().loraRank());
    }

    @Test
    void aRecipeLadderAddsOneTechniqueAtATime() {
        Setup base = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).finetune(TrainMethod.LORA)
                .framework(Framework.TORCHTUNE).sequence(4096).gradientCheckpointing(false).chunkedLoss(false);
        Ladder l = Dsl.ladder(base).then("activation checkpointing", x -> x.gradientCheckpointing())
                .then("chunked loss", x -> x.chunkedLoss());
        assertEquals(3, l.setups().size());
        assertTrue(l.setups().get(2).workload().gradientCheckpointing());
        var t = l.table();
        assertEquals(3, t.rowCount());
        for (int i = 1; i < 3; i++) {
            double before = t.doubleColumn("needed_mib").get(i - 1);
            double after = t.doubleColumn("needed_mib").get(i);
            assertTrue(after < before, t.print());
            assertEquals(before - after, t.doubleColumn("saved_mib").get(i), 1e-6);
            int longest = t.doubleColumn("longest_sequence").get(i).intValue();
            assertEquals(gpupoor.calc.Fit.of(Methods.DEFAULT).maxSequence(l.setups().get(i).scenario()).value(), longest);
        }
        // checkpointing costs a recomputed forward pass
        assertTrue(t.doubleColumn("time_cost_pct").get(1) > 10, t.print());
        assertThrows(InvalidScenarioException.class, () -> Dsl.ladder(model("7B")));
    }
}
