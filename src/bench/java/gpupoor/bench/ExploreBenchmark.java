package gpupoor.bench;

import gpupoor.calc.Quant;
import gpupoor.dsl.Dsl;
import gpupoor.dsl.Explore;
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
 * Kernel-side time of one {@code explore(..)} redraw after a control moves: the estimate, the
 * longest context and largest batch searches, the chart's PNG and the panel's HTML (the widget
 * messages are not included). Runs on one thread in a JVM with the kernel's flags (serial GC, C1
 * only). Goal (issue 15): within 100 ms. Run with {@code bench/explore}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
@Threads(1)
public class ExploreBenchmark {

    /** The control moved: batch, context, quant or device. */
    @Param({"batch", "context", "quant", "device"})
    public String control;

    private Explore explore;
    private int step;

    /** Notebook 06's setup: Llama 3.1 8B at Q4_K_M on an RTX 4090, context 8,192. */
    @org.openjdk.jmh.annotations.Setup
    public void setup() {
        explore = Dsl.explore(Dsl.model("meta-llama/Llama-3.1-8B").on(Dsl.gpu("rtx-4090")).quant(Quant.Q4_K_M).context(8192));
    }

    /** Moves the control to its next value (which redraws); returns the total shown. */
    @Benchmark
    public double redraw() {
        step++;
        switch (control) {
            case "batch" -> explore.batch().value(1 + step % 64);
            case "context" -> explore.context().value(1024 + 256 * (step % 120));
            case "quant" -> explore.quant().value(step % 2 == 0 ? "gguf-Q4_K_M" : "gguf-Q8_0");
            default -> explore.device().value(step % 2 == 0 ? "rtx-4090" : "a100-sxm4-80gb");
        }
        return explore.report() == null ? -1 : explore.report().totalMiB();
    }
}
