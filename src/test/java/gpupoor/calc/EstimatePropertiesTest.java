package gpupoor.calc;

import gpupoor.catalog.Catalog;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the default method over sampled scenarios (jqwik, 10,000 samples each): memory never
 * decreases with the prompt, the tokens generated, the batch or the LoRA rank, and never increases
 * with fewer bits per weight; decode speed never increases with the context; the size-only fallback
 * needs no less memory for a bigger model; and a fit search's answer fits by the estimate while one
 * step beyond does not. Scenarios span dense, GQA, MoE, MLA, sliding-window and size-only models on
 * the three runtimes, with and without a device.
 */
class EstimatePropertiesTest {

    private static final Method METHOD = Methods.DEFAULT;
    private static final int TRIES = 10_000;
    /** Floating-point slack: a sum taken in another order may differ in its last bits. */
    private static final double EPS = 1e-9;

    /** Models of every family the default method reads (and sizes, for the synthetic shape). */
    static final List<String> MODELS = List.of("meta-llama/Llama-2-7b-hf", "meta-llama/Llama-3.1-8B",
            "meta-llama/Llama-3.1-70B", "Qwen/Qwen2.5-0.5B", "Qwen/Qwen3-30B-A3B", "mistralai/Mixtral-8x7B-v0.1",
            "google/gemma-2-9b", "google/gemma-3-1b-it", "deepseek-ai/DeepSeek-V2-Lite", "tiiuae/falcon-7b",
            "microsoft/phi-2", "openai/gpt-oss-20b", "openai-community/gpt2", "bigscience/bloom-7b1", "7B", "34B");

    /** Devices of each kind, and none. */
    static final List<String> DEVICES = List.of("", "rtx-4090", "rtx-3060-12gb", "a100-sxm4-80gb", "h100-sxm5-80gb",
            "m2-max-38c-64gb", "ryzen-9-7950x");

    /** Each runtime's quantizations, most bits first. */
    static final List<List<Quant>> BY_RUNTIME = List.of(
            List.of(Quant.NONE, Quant.BNB_INT8, Quant.BNB_NF4),
            List.of(Quant.NONE, Quant.FP8, Quant.AWQ_INT4),
            List.of(Quant.GGUF_F16, Quant.Q8_0, Quant.Q6_K, Quant.Q5_K_M, Quant.Q4_K_M, Quant.Q3_K_M, Quant.Q2_K));
    static final List<Framework> RUNTIMES = List.of(Framework.HF, Framework.VLLM, Framework.LLAMA_CPP);

    /** What an inference scenario is made of; {@link #build} makes it (null when the method refuses it). */
    record Case(String model, int runtime, int quant, String device, int devices, int batch, int prompt, int gen) {
        Scenario build() {
            return build(model, Math.min(quant, BY_RUNTIME.get(runtime).size() - 1));
        }

        Scenario build(String m, int q) {
            try {
                Scenario.Builder b = Scenario.builder().model(Catalog.get().model(m)).framework(RUNTIMES.get(runtime))
                        .quant(BY_RUNTIME.get(runtime).get(q)).batch(batch).prompt(prompt).generate(gen);
                if (!device.isEmpty()) {
                    b.device(Catalog.get().hardware(device));
                    if (Catalog.get().hardware(device).isGpu()) {
                        b.deviceCount(devices);
                    }
                }
                Scenario s = b.build();
                METHOD.check(s);
                return s;
            } catch (InvalidScenarioException e) {
                return null;
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(MODELS), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 6), Arbitraries.of(DEVICES), Arbitraries.of(1, 1, 2, 4),
                        Arbitraries.integers().between(1, 64), tokens(1, 65_536), tokens(0, 4096))
                .as(Case::new).filter(c -> c.build() != null);
    }

    /** Cases on a device (speed needs one). */
    @Provide
    Arbitrary<Case> onADevice() {
        return cases().filter(c -> !c.device().isEmpty());
    }

    /** Cases on GPUs (the fit searches count GPU memory). */
    @Provide
    Arbitrary<Case> onGpus() {
        return cases().filter(c -> !c.device().isEmpty() && Catalog.get().hardware(c.device()).isGpu());
    }

    /** Two quantizations of one case, the second with fewer nominal bits per weight. */
    record Pair(Case c, Scenario more, Scenario fewer) {
    }

    @Provide
    Arbitrary<Pair> fewerBits() {
        return Combinators.combine(cases(), Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 6))
                .as((c, i, j) -> {
                    List<Quant> quants = BY_RUNTIME.get(c.runtime());
                    int a = Math.min(Math.min(i, j), quants.size() - 1);
                    int b = Math.min(Math.max(i, j), quants.size() - 1);
                    return new Pair(c, c.build(c.model(), a), c.build(c.model(), b));
                })
                .filter(p -> p.more() != null && p.fewer() != null
                        && p.fewer().quant().nominalBits() < p.more().quant().nominalBits() && !fallsBack(p.more())
                        && !(p.more().quant() == Quant.NONE && publishedQuantized(p.more().model())));
    }

    /** Two sizes of a size-only model, the second larger, in the same case. */
    record Sizes(Case c, double size, Scenario small, Scenario big) {
    }

    @Provide
    Arbitrary<Sizes> sizes() {
        return Combinators.combine(cases(), Arbitraries.doubles().between(Limits.MIN_SIZE_BILLIONS, 1000),
                        Arbitraries.doubles().between(0, 1))
                .as((c, size, step) -> {
                    int q = Math.min(c.quant(), BY_RUNTIME.get(c.runtime()).size() - 1);
                    return new Sizes(c, size, c.build(Double.toString(size), q),
                            c.build(Double.toString(size * (1 + step * step)), q));
                })
                .filter(s -> s.small() != null && s.big() != null);
    }

    /** Token counts, biased towards the small ones, edges included. */
    static Arbitrary<Integer> tokens(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(net.jqwik.api.RandomDistribution.biased());
    }

    private static double memory(Scenario s) {
        return METHOD.estimate(s).memory().totalMiB();
    }

    private static void atLeast(double smaller, double larger, String what) {
        assertTrue(larger >= smaller - EPS * Math.abs(smaller), what + ": " + larger + " < " + smaller);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void memoryNeverDecreasesWithThePrompt(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 65_536) int more) {
        Scenario s = c.build();
        atLeast(memory(s), memory(s.withPrompt(c.prompt() + more)), "prompt " + c.prompt() + " + " + more);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void memoryNeverDecreasesWithTheTokensGenerated(@ForAll("cases") Case c,
                                                    @ForAll @IntRange(min = 1, max = 65_536) int more) {
        Scenario s = c.build();
        atLeast(memory(s), memory(s.withGenerate(c.gen() + more)), "gen " + c.gen() + " + " + more);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void memoryNeverDecreasesWithTheBatch(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 256) int more) {
        Scenario s = c.build();
        atLeast(memory(s), memory(s.withBatch(c.batch() + more)), "batch " + c.batch() + " + " + more);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void memoryNeverIncreasesWithFewerBits(@ForAll("fewerBits") Pair p) {
        String what = p.fewer().quant().id() + " vs " + p.more().quant().id();
        if (p.more().device() != null && p.more().device().isCpu()) {
            // llama.cpp on a CPU keeps a repacked copy of Q4_0/Q4_K/IQ4_NL matrices (CPU_REPACK) beside the mapped
            // file, so a K-quant can take more host memory in all than Q8_0 (as llama.cpp's own buffer sizes show):
            // the file it maps never grows with fewer bits, and the rest of the plan never does either
            MemoryBreakdown fewer = METHOD.estimate(p.fewer()).memory();
            MemoryBreakdown more = METHOD.estimate(p.more()).memory();
            atLeast(fewer.hostMappedMiB(), more.hostMappedMiB(), what + ", mapped");
            atLeast(fewer.totalMiB() - fewer.hostMiB(), more.totalMiB() - more.hostMiB(), what + ", beside the host");
            return;
        }
        atLeast(memory(p.fewer()), memory(p.more()), what);
    }

    /** Whether "none" means the checkpoint's own quantized weights (gpt-oss's MXFP4, DeepSeek-V3's fp8), not 16 bits. */
    private static boolean publishedQuantized(ModelSpec m) {
        return m.config().containsKey("quantization_config");
    }

    /**
     * Whether llama.cpp stores a K-quant of this model in a larger fallback type: rows that are not a
     * multiple of 256 (Falcon-7B's 4,544, Phi-2's 2,560 x 10,240 are fine) take Q5_0/Q5_1/Q8_0 blocks,
     * so a K-quant mix can outweigh a legacy type of more nominal bits. That is llama.cpp's behaviour.
     * (A size-only model's config is empty: its synthetic shape uses multiples of 256.)
     */
    private static boolean fallsBack(Scenario a) {
        if (!a.quant().isGguf()) {
            return false;
        }
        double hidden = a.model().number(0, "hidden_size", "n_embd", "d_model");
        double inter = a.model().number(0, "intermediate_size", "n_inner", "ffn_hidden_size");
        return hidden % 256 != 0 || inter % 256 != 0;
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void memoryNeverDecreasesWithTheLoraRank(@ForAll("models") String model, @ForAll boolean qlora,
                                             @ForAll @IntRange(min = 1, max = 512) int rank,
                                             @ForAll @IntRange(min = 1, max = 512) int more,
                                             @ForAll @IntRange(min = 1, max = 8192) int sequence,
                                             @ForAll @IntRange(min = 1, max = 8) int batch) {
        Scenario.Builder b = Scenario.builder().model(Catalog.get().model(model)).mode(Mode.TRAINING)
                .method(qlora ? TrainMethod.QLORA : TrainMethod.LORA).prompt(sequence).batch(batch);
        double before = memory(b.copy().loraRank(rank).build());
        double after = memory(b.copy().loraRank(rank + more).build());
        atLeast(before, after, "rank " + rank + " + " + more);
    }

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of(MODELS);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void decodeSpeedNeverIncreasesWithTheContext(@ForAll("onADevice") Case c,
                                                 @ForAll @IntRange(min = 1, max = 65_536) int more) {
        Scenario s = c.build();
        Speed before = METHOD.estimate(s).speed();
        Speed after = METHOD.estimate(s.withPrompt(c.prompt() + more)).speed();
        atLeast(after.tokensPerSecond(), before.tokensPerSecond(), "tokens/s at prompt " + c.prompt() + " + " + more);
        atLeast(before.promptSeconds(), after.promptSeconds(), "prompt seconds at prompt " + c.prompt() + " + " + more);
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void theSizeFallbackNeedsNoLessMemoryForABiggerModel(@ForAll("sizes") Sizes p) {
        Estimate a = METHOD.estimate(p.small());
        Estimate b = METHOD.estimate(p.big());
        String what = p.small().model().id() + " vs " + p.big().model().id();
        atLeast(a.memory().totalMiB(), b.memory().totalMiB(), "total memory, " + what);
        atLeast(a.memory().weightsMiB(), b.memory().weightsMiB(), "weights, " + what);
        atLeast(a.memory().activationMiB(), b.memory().activationMiB(), "activations, " + what);
        if (p.small().device() == null) {
            // with a device, vLLM's KV pool is what the weights leave free: it shrinks as the model grows
            atLeast(a.memory().kvCacheMiB(), b.memory().kvCacheMiB(), "KV cache, " + what);
        }
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void fitsAgreesWithTheEstimateAtTheLimitItReports(@ForAll("onGpus") Case c, @ForAll boolean context) {
        Scenario s = c.build();
        Fit fit = Fit.of(METHOD);
        Fit.Result<Integer> r = context ? fit.maxContext(s) : fit.maxBatch(s);
        List<Boolean> verdicts = new ArrayList<>();
        if (r.found()) {
            Scenario at = context ? Fit.withContext(s, r.value()) : s.withBatch(r.value());
            verdicts.add(METHOD.estimate(at).budget().fits());
            assertEquals(Boolean.TRUE, verdicts.get(0), r.limit() + " " + r.value() + " does not fit by the estimate");
        }
        int ceiling = context ? Fit.MAX_TOKENS : Fit.MAX_BATCH;
        int next = r.found() ? r.value() + 1 : context ? (s.workload().generateTokens() > 0 ? 2 : 1) : 1;
        if (next <= ceiling) {
            Scenario beyond = context ? Fit.withContext(s, next) : s.withBatch(next);
            assertFalse(METHOD.estimate(beyond).budget().fits(), r.limit() + " " + next + " fits by the estimate");
        }
    }
}
