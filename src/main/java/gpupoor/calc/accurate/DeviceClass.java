package gpupoor.calc.accurate;

import gpupoor.calc.Hardware;

import java.util.Locale;

/**
 * The classes of devices whose achieved efficiencies differ enough to be calibrated apart:
 * discrete GPUs with GDDR memory, discrete GPUs with HBM (whose batch-1 kernels reach a smaller
 * share of their much higher bandwidth), Apple GPUs through Metal, CPU sockets, and the CPU cores
 * of an Apple SoC (llama.cpp with no layers on the GPU).
 */
public enum DeviceClass {
    /** Discrete GPU with GDDR memory (GeForce, RTX workstation, L4/L40/A10/A40...). */
    GPU_GDDR,
    /** Discrete GPU or accelerator with HBM (A100, H100, MI300...). */
    GPU_HBM,
    /** Apple Silicon GPU (Metal). */
    APPLE_GPU,
    /** CPU socket with DDR memory. */
    CPU,
    /** The CPU cores of an Apple Silicon SoC. */
    APPLE_CPU;

    private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The id used in {@code calibration.csv}, e.g. {@code gpu-gddr}. */
    public String id() {
        return id;
    }

    /** The class of a device; {@code onCpu} for an Apple SoC whose model runs on its CPU cores. */
    public static DeviceClass of(Hardware h, boolean onCpu) {
        return switch (h.kind()) {
            case CPU -> CPU;
            case APPLE -> onCpu ? APPLE_CPU : APPLE_GPU;
            case GPU -> HBM.get(h) ? GPU_HBM : GPU_GDDR;
        };
    }

    /** Whether a GPU's memory is HBM, for the GPUs used last (it reads the memory type's name). */
    private static final IdentityCache<Hardware, Boolean> HBM = new IdentityCache<>(16,
            h -> h.memoryType() != null && h.memoryType().regionMatches(true, 0, "HBM", 0, 3));
}
