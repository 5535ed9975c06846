package gpupoor.calc;

/**
 * One device: a discrete GPU or accelerator, an Apple Silicon SoC, or a CPU socket. Figures are
 * vendor peaks (see {@code catalog/hardware.md}); a value of 0 means "not given".
 *
 * @param id                catalog id, e.g. {@code rtx-4090}
 * @param name              marketing name
 * @param kind              GPU, APPLE or CPU
 * @param memoryGiB         device memory (GPU VRAM, Apple unified memory; 0 for CPUs)
 * @param bandwidthGBs      peak memory bandwidth, decimal GB/s (CPU: all channels at the top DDR speed)
 * @param fp32Tflops        peak non-tensor FP32
 * @param fp16Tflops        dense FP16 tensor throughput (FP32 accumulate)
 * @param bf16Tflops        dense BF16 tensor throughput
 * @param fp8Tflops         dense FP8 tensor throughput
 * @param int8Tops          dense INT8 tensor throughput
 * @param cpuMemory         memory channels and DDR speeds (CPUs only, else null)
 * @param gpuPoor           the original calculator's numbers for this device (null if it does not know it)
 * @param memoryType        memory technology, e.g. {@code GDDR6X}, {@code HBM3}, {@code LPDDR5} (null if unknown)
 * @param pcieGBs           host link bandwidth per direction, GB/s (0: none, or not known)
 * @param nvlinkGBs         GPU-to-GPU scale-up link (NVLink, Infinity Fabric) per direction, GB/s (0: none)
 */
public record Hardware(String id, String name, Kind kind, double memoryGiB, double bandwidthGBs,
                       double fp32Tflops, double fp16Tflops, double bf16Tflops, double fp8Tflops,
                       double int8Tops, CpuMemory cpuMemory, GpuPoorSpec gpuPoor, String memoryType,
                       double pcieGBs, double nvlinkGBs) {

    /** A device whose links are not known. */
    public Hardware(String id, String name, Kind kind, double memoryGiB, double bandwidthGBs,
                    double fp32Tflops, double fp16Tflops, double bf16Tflops, double fp8Tflops,
                    double int8Tops, CpuMemory cpuMemory, GpuPoorSpec gpuPoor, String memoryType) {
        this(id, name, kind, memoryGiB, bandwidthGBs, fp32Tflops, fp16Tflops, bf16Tflops, fp8Tflops, int8Tops,
                cpuMemory, gpuPoor, memoryType, 0, 0);
    }

    /** A device whose memory technology is not known. */
    public Hardware(String id, String name, Kind kind, double memoryGiB, double bandwidthGBs,
                    double fp32Tflops, double fp16Tflops, double bf16Tflops, double fp8Tflops,
                    double int8Tops, CpuMemory cpuMemory, GpuPoorSpec gpuPoor) {
        this(id, name, kind, memoryGiB, bandwidthGBs, fp32Tflops, fp16Tflops, bf16Tflops, fp8Tflops, int8Tops,
                cpuMemory, gpuPoor, null);
    }

    /** Device kinds. */
    public enum Kind {
        /** Discrete GPU or accelerator. */
        GPU,
        /** Apple Silicon SoC with unified memory. */
        APPLE,
        /** CPU socket with DDR memory. */
        CPU
    }

    /**
     * A CPU's memory system.
     *
     * @param channels   64-bit DDR channels per socket
     * @param ddr4MTs    top supported DDR4 speed in MT/s (0 if unsupported)
     * @param ddr5MTs    top supported DDR5 speed in MT/s (0 if unsupported)
     * @param cores      physical cores
     */
    public record CpuMemory(int channels, double ddr4MTs, double ddr5MTs, int cores) {
        /** Peak bandwidth in decimal GB/s for a DDR generation, 0 if unsupported. */
        public double bandwidthGBs(Ddr ddr) {
            double mts = ddr == Ddr.DDR4 ? ddr4MTs : ddr5MTs;
            return channels * 8 * mts / 1000.0;
        }

        /** Whether the CPU supports that DDR generation. */
        public boolean supports(Ddr ddr) {
            return (ddr == Ddr.DDR4 ? ddr4MTs : ddr5MTs) > 0;
        }
    }

    /**
     * The link several of these GPUs exchange activations over unless the scenario says: NVLink where
     * the device has no PCIe link of its own (SXM and OAM modules on a switched board), else PCIe
     * (a bridge between PCIe cards is used only when asked for).
     */
    public Interconnect defaultInterconnect() {
        return nvlinkGBs > 0 && !(pcieGBs > 0) ? Interconnect.NVLINK : Interconnect.PCIE;
    }

    /** The bandwidth of a link of this device per direction in GB/s; 0 when it has none (or it is not known). */
    public double linkGBs(Interconnect link) {
        return link == Interconnect.NVLINK ? nvlinkGBs : pcieGBs;
    }

    /**
     * Whether ECC takes a sixteenth of the memory: NVIDIA's data-centre cards with GDDR memory (Tesla
     * P40 and T4, A10, A40, L4, L40, L40S) run with ECC on by default, which keeps 1/16 of the GDDR for
     * check bits (a T4 shows 15 of its 16 GiB, an L40S 45 of 48). GeForce, RTX workstation, Radeon and Arc
     * cards ship with it off; HBM carries its ECC beside the data.
     */
    public boolean eccReservesMemory() {
        if (kind != Kind.GPU || memoryType == null || !memoryType.toUpperCase(java.util.Locale.ROOT).startsWith("GDDR")) {
            return false;
        }
        String n = name == null ? "" : name;
        for (String consumer : new String[]{"GeForce", "RTX", "Radeon", "Arc", "TITAN"}) {
            if (n.contains(consumer)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this is a discrete GPU. */
    public boolean isGpu() {
        return kind == Kind.GPU;
    }

    /** Whether this is a CPU. */
    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    /** Whether this is an Apple Silicon SoC. */
    public boolean isApple() {
        return kind == Kind.APPLE;
    }

    @Override
    public String toString() {
        return id;
    }
}
