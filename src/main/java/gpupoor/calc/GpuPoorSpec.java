package gpupoor.calc;

/** A device row of the original calculator's GPU or CPU table, with its numbers as the original has them. */
public sealed interface GpuPoorSpec {
    /** The key in the original's table, e.g. {@code rtx-4090} or {@code 13900K}. */
    String key();

    /**
     * A row of the original's {@code gpu_config.json}.
     *
     * @param key       table key
     * @param bandwidth GB/s
     * @param compute   "TFLOPS" as the original uses it
     * @param memory    GB (treated as GiB)
     */
    record Gpu(String key, double bandwidth, double compute, double memory) implements GpuPoorSpec {
    }

    /**
     * A row of the original's {@code cpu_config.json}.
     *
     * @param key        table key
     * @param ddr5Speed  {@code Speed}: DDR5 MT/s (0 = unsupported)
     * @param ddr4Speed  {@code speed_ddr4}: DDR4 MT/s (0 = unsupported)
     * @param bus        {@code Bus}: Dual, Quad, Hexa or Octa
     * @param cores      {@code Cores}
     * @param ddr4       {@code ddr4} flag
     * @param ddr5       {@code ddr5} flag
     * @param flops      {@code Flops}
     */
    record Cpu(String key, double ddr5Speed, double ddr4Speed, String bus, int cores, boolean ddr4,
               boolean ddr5, double flops) implements GpuPoorSpec {
    }
}
