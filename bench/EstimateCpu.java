import gpupoor.calc.Estimate;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;

import java.lang.management.ManagementFactory;

import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;

/**
 * CPU time and bytes allocated per default-method estimate on one thread, for the kernel-latency
 * sweep's points (Llama 3.1 8B, RTX 4090, Q4_K_M; 20,000 contexts x 10 batch sizes, built once),
 * N passes in one JVM. Run it with the kernel's JIT flag to see what a sweep point costs in the kernel:
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/gpupoor.jar bench/EstimateCpu.java [passes]
 */
public class EstimateCpu {
    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Scenario base = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Quant.Q4_K_M).scenario();
        int[] batches = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
        Scenario[] points = new Scenario[200_000];
        int n = 0;
        for (int context = 2; context < 100_001; context += 5) {
            for (int b : batches) {
                points[n++] = base.toBuilder().prompt(context).batch(b).build();
            }
        }
        Method m = Methods.DEFAULT;
        long thread = Thread.currentThread().getId();
        for (int p = 1; p <= passes; p++) {
            long cpu = mx.getCurrentThreadCpuTime();
            long bytes = mx.getThreadAllocatedBytes(thread);
            double sink = 0;
            for (Scenario s : points) {
                Estimate e = m.estimate(s);
                sink += e.memory().totalMiB();
            }
            System.out.printf("pass %d: %.2f us CPU and %,d bytes per estimate%s%n", p, (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n,
                    (mx.getThreadAllocatedBytes(thread) - bytes) / n, sink > 0 ? "" : " (no memory figure?)");
        }
    }
}
