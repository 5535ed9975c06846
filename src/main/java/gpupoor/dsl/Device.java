package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Ddr;
import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.DeviceSpec;

/**
 * Where a model runs: one or more identical GPUs, an Apple Silicon chip, or a CPU socket with a
 * DDR generation. Made with {@link Dsl#gpu}, {@link Dsl#gpus}, {@link Dsl#apple} or
 * {@link Dsl#cpu}, from a catalog id or from the device's figures
 * ({@code gpu("memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS")}), and changed with
 * {@link #withMemory}, {@link #withBandwidth}, {@link #withFp16Tflops} or {@link #with}; immutable.
 *
 * @param hardware the catalog's device
 * @param count    identical devices used together (more than one only for GPUs)
 * @param ddr      the DDR generation of a CPU's memory (null: the fastest it supports)
 */
public record Device(Hardware hardware, int count, Ddr ddr) implements Displayable {

    /** Checks the count (positive; one for a CPU or Apple chip) and that a DDR generation is given only for a CPU that supports it. */
    public Device {
        if (hardware == null) {
            throw new InvalidScenarioException("a device needs a catalog entry, e.g. gpu(\"rtx-4090\")");
        }
        if (count < 1) {
            throw new InvalidScenarioException("number of GPUs must be a positive integer, got " + count);
        }
        if (count > 1 && !hardware.isGpu()) {
            throw new InvalidScenarioException("only GPUs can be combined; " + hardware.id() + " is "
                    + kind(hardware) + ", so use one");
        }
        if (ddr != null && !hardware.isCpu()) {
            throw new InvalidScenarioException("a DDR generation applies to CPUs; " + hardware.id() + " is " + kind(hardware));
        }
        if (ddr != null && hardware.cpuMemory() != null && !hardware.cpuMemory().supports(ddr)) {
            throw new InvalidScenarioException("CPU " + hardware.id() + " does not support " + ddr + "; it supports "
                    + (hardware.cpuMemory().supports(Ddr.DDR4) ? "ddr4" : "ddr5"));
        }
    }

    /** One device of any kind by catalog id or the original calculator's key ({@code rtx-4090}, {@code 13900K}), or a GPU spec. */
    static Device of(String id) {
        if (DeviceSpec.isSpec(id)) {
            return new Device(spec(id, Hardware.Kind.GPU), 1, null);
        }
        return new Device(Catalog.get().hardware(id), 1, null);
    }

    /**
     * A device by id, or from its figures ({@code memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS}), that
     * must be of the given kind; {@code call} names the DSL function for the message.
     */
    static Device of(String id, Hardware.Kind kind, String call) {
        Hardware h = DeviceSpec.isSpec(id) ? spec(id, kind) : Catalog.get().hardware(id, kind);
        if (h.kind() != kind) {
            String right = switch (h.kind()) {
                case GPU -> "gpu";
                case APPLE -> "apple";
                case CPU -> "cpu";
            };
            throw new InvalidScenarioException("'" + id + "' is " + kind(h) + " (" + h.name() + "): use " + right
                    + "(\"" + id + "\") instead of " + call + "(...)");
        }
        return new Device(h, 1, null);
    }

    private static Hardware spec(String text, Hardware.Kind kind) {
        try {
            return DeviceSpec.parse(text, kind, null);
        } catch (InvalidScenarioException e) {
            throw e.in(Setup.STYLE);
        }
    }

    /**
     * This device with other figures, each with its unit, as in {@code --gpu-spec}:
     * {@code gpu("rtx-4090").with("memory=48GiB,bandwidth=1200GB/s")}.
     */
    public Device with(String figures) {
        try {
            return new Device(DeviceSpec.parse(figures, hardware.kind(), hardware), count, ddr);
        } catch (InvalidScenarioException e) {
            throw e.in(Setup.STYLE);
        }
    }

    /** This device with {@code gib} GiB of memory: {@code gpu("rtx-4090").withMemory(48)}. */
    public Device withMemory(double gib) {
        return override(DeviceSpec.Field.MEMORY, gib);
    }

    /** This device with a memory bandwidth of {@code gbs} decimal GB/s: {@code gpu("rtx-3090").withBandwidth(1100)}. */
    public Device withBandwidth(double gbs) {
        return override(DeviceSpec.Field.BANDWIDTH, gbs);
    }

    /** This device with a dense fp16 (and bf16) matrix rate of {@code tflops}: {@code gpu("rtx-4090").withFp16Tflops(330)}. */
    public Device withFp16Tflops(double tflops) {
        Device d = override(DeviceSpec.Field.FP16, tflops);
        return hardware.bf16Tflops() > 0 ? d.override(DeviceSpec.Field.BF16, tflops) : d;
    }

    /** This device with a dense fp8 matrix rate of {@code tflops}: {@code gpu("l40s").withFp8Tflops(733)}. */
    public Device withFp8Tflops(double tflops) {
        return override(DeviceSpec.Field.FP8, tflops);
    }

    private Device override(DeviceSpec.Field field, double value) {
        try {
            return new Device(DeviceSpec.override(hardware, field, value), count, ddr);
        } catch (InvalidScenarioException e) {
            throw e.in(Setup.STYLE);
        }
    }

    /** The same CPU with DDR4 memory. */
    public Device ddr4() {
        return new Device(hardware, count, Ddr.DDR4);
    }

    /** The same CPU with DDR5 memory. */
    public Device ddr5() {
        return new Device(hardware, count, Ddr.DDR5);
    }

    /** {@code n} of this GPU used together. */
    public Device times(int n) {
        return new Device(hardware, n, ddr);
    }

    /** The catalog id, e.g. {@code rtx-4090}. */
    public String id() {
        return hardware.id();
    }

    /** Memory of all the devices in GiB (0 for a CPU: the catalog does not know its RAM). */
    public double memoryGiB() {
        return hardware.memoryGiB() * count;
    }

    /** A short label: {@code GeForce RTX 4090} or {@code 4 × A100 SXM4 80GB}. */
    public String label() {
        return (count > 1 ? count + " × " : "") + hardware.name() + (ddr != null ? " (" + ddr + ")" : "");
    }

    /** The id with the count, as a table cell: {@code rtx-4090} or {@code 4x a100-sxm4-80gb}. */
    String cell() {
        return (count > 1 ? count + "x " : "") + hardware.id() + (ddr != null ? " " + ddr : "");
    }

    @Override
    public String toText() {
        Hardware h = hardware;
        StringBuilder sb = new StringBuilder(label()).append(" [").append(h.id()).append("]: ");
        if (h.memoryGiB() > 0) {
            sb.append(Format.number(memoryGiB())).append(" GiB");
            if (count > 1) {
                sb.append(" (").append(Format.number(h.memoryGiB())).append(" GiB each)");
            }
        } else {
            sb.append("system RAM (size not in the catalog)");
        }
        double bw = ddr != null && h.cpuMemory() != null ? h.cpuMemory().bandwidthGBs(ddr) : h.bandwidthGBs();
        sb.append(", ").append(Format.number(bw)).append(" GB/s");
        if (h.fp16Tflops() > 0) {
            sb.append(", ").append(Format.number(h.fp16Tflops())).append(" fp16 TFLOPS");
        }
        if (count > 1) {
            sb.append(" each");
        }
        return sb.toString();
    }

    @Override
    public String toHtml() {
        return "<div>" + Html.escape(toText()) + "</div>";
    }

    @Override
    public String toString() {
        return toText();
    }

    private static String kind(Hardware h) {
        return switch (h.kind()) {
            case GPU -> "a GPU";
            case APPLE -> "an Apple chip";
            case CPU -> "a CPU";
        };
    }
}
