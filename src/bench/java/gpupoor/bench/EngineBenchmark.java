package gpupoor.bench;

import gpupoor.calc.Estimate;
import gpupoor.calc.Hardware;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Mode;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.calc.Framework;
import gpupoor.catalog.Catalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;


import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Estimates per second of the engine, one thread, over a sweep of 10,000 varied scenarios
 * (models, quantizations, frameworks, prompt/generation lengths, batch sizes, devices,
 * inference and training). Run with {@code bench/engine-throughput}.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class EngineBenchmark {

    /** Scenarios per invocation. */
    static final int SWEEP = 10_000;

    /** The method measured. */
    @Param({"gpu-poor", "default"})
    public String method;

    private Method m;
    private Scenario[] scenarios;

    /** Builds the sweep once (catalog lookups are not measured). */
    @Setup
    public void setup() {
        m = Methods.parse(method);
        Catalog c = Catalog.get();
        List<ModelSpec> models = List.of(c.model("meta-llama/Llama-2-7b-hf"), c.model("meta-llama/Llama-2-13b-hf"),
                c.model("mistralai/Mistral-7B-v0.1"), c.model("meta-llama/Llama-2-70b-hf"));
        List<Hardware> gpus = List.of(c.hardware("rtx-4090"), c.hardware("rtx-3090"), c.hardware("A100-80GB"),
                c.hardware("H100-SXM5"));
        Quant[] hfQuants = {Quant.NONE, Quant.BNB_INT8, Quant.BNB_NF4};
        Quant[] ggufQuants = {Quant.Q4_K_M, Quant.Q8_0, Quant.Q2_K, Quant.Q5_K_M};
        List<Scenario> out = new ArrayList<>();
        for (int i = 0; out.size() < SWEEP; i++) {
            ModelSpec model = models.get(i % models.size());
            Hardware gpu = gpus.get((i / 4) % gpus.size());
            int prompt = 128 << (i % 6);
            int batch = 1 << (i % 5);
            boolean training = i % 5 == 0;
            boolean gguf = !training && i % 3 == 0;
            TrainMethod method = training ? TrainMethod.values()[i % 2] : null;
            // full fine-tuning trains 16-bit weights (the default method rejects a quantized base)
            Quant q = gguf ? ggufQuants[i % ggufQuants.length]
                    : method == TrainMethod.FULL ? Quant.NONE : hfQuants[i % hfQuants.length];
            Workload w = new Workload(training ? Mode.TRAINING : Mode.INFERENCE, prompt, training ? 1 : 256, batch, method, i % 2 == 0 ? Optimizer.ADAM : Optimizer.SGD,
                    i % 7 == 0, 8);
            out.add(new Scenario(model, q, gguf ? Framework.LLAMA_CPP : Framework.HF, w, gpu, 1 + i % 2, null,
                    Options.NONE));
        }
        scenarios = out.toArray(new Scenario[0]);
    }

    /** One pass over the sweep; the score is estimates per second. */
    @Benchmark
    @OperationsPerInvocation(SWEEP)
    public double sweep() {
        double sum = 0;
        for (Scenario s : scenarios) {
            Estimate e = m.estimate(s);
            sum += e.memory() == null ? 0 : e.memory().totalMiB();
        }
        return sum;
    }
}
