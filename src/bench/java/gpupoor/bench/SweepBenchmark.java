package gpupoor.bench;

import gpupoor.calc.Quant;
import gpupoor.dsl.Dsl;
import gpupoor.dsl.Setup;
import gpupoor.dsl.Sweep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Wall time of a DSL sweep of 10⁵ or 10⁶ points, end to end: every point estimated and the
 * tablesaw table of all of them built ({@code sweep(s).context(2, N/10 + 1, 1).batches(10 sizes).table()}).
 * Runs on one thread in a JVM with the kernel's flags (serial GC, C1 only), as a notebook runs it.
 * Run with {@code bench/sweep}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
@Threads(1)
public class SweepBenchmark {

    /** Points in the sweep. */
    @Param({"100000", "1000000"})
    public int points;

    /** The method estimating each point. */
    @Param({"default", "gpu-poor"})
    public String method;

    private Setup setup;

    /** The setup of the notebooks' sweeps: Llama 3.1 8B at Q4_K_M with llama.cpp on an RTX 4090. */
    @org.openjdk.jmh.annotations.Setup
    public void setup() {
        setup = Dsl.model("meta-llama/Llama-3.1-8B").on(Dsl.gpu("rtx-4090")).quant(Quant.Q4_K_M).using(method);
    }

    /** A fresh sweep (nothing cached), every point estimated, the whole table built; returns its row count. */
    @Benchmark
    public int sweepToTable() {
        Sweep s = Dsl.sweep(setup).context(2, points / 10 + 1, 1).batches(1, 2, 4, 8, 16, 32, 64, 128, 256, 512);
        return s.table().rowCount();
    }
}
