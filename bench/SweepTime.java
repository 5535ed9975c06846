import static gpupoor.dsl.Dsl.*;
import static gpupoor.calc.Quant.*;

/**
 * Wall time of the kernel-latency sweep (10^6 points to a Table) in plain java, N times in one JVM.
 * Usage: java [flags] -cp target/gpupoor.jar bench/SweepTime.java [runs]
 */
public class SweepTime {
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        for (int r = 1; r <= runs; r++) {
            long t = System.nanoTime();
            int rows = sweep(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M))
                    .context(2, 100001, 1).batches(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).table().rowCount();
            System.out.printf("run %d: %,d rows in %.0f ms%n", r, rows, (System.nanoTime() - t) / 1e6);
        }
    }
}
