package gpupoor.catalog;

import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code catalog/hardware.csv} into {@link Hardware} values. */
final class HardwareCsv {
    private static final Pattern DDR = Pattern.compile("DDR([45])-(\\d+)");
    private static final Pattern CHANNELS = Pattern.compile("channels=(\\d+)");
    private static final Pattern CORES = Pattern.compile("cores=(\\d+)");

    private HardwareCsv() {
    }

    /**
     * Every row keyed by id. A row gets the original calculator's numbers when its id is one of the
     * original's keys or an alias points to it.
     */
    static Map<String, Hardware> read(InputStream csv, Map<String, GpuPoorSpec> specs, Map<String, String> aliases) {
        Map<String, Hardware> out = new LinkedHashMap<>();
        for (Map<String, String> r : Csv.read(csv, "hardware.csv")) {
            String id = r.get("id");
            Hardware.Kind kind = Hardware.Kind.valueOf(r.get("kind").toUpperCase(Locale.ROOT));
            Hardware.CpuMemory cpu = kind == Hardware.Kind.CPU ? cpuMemory(r.get("notes")) : null;
            GpuPoorSpec spec = specs.get(id);
            if (spec == null) {
                for (Map.Entry<String, String> a : aliases.entrySet()) {
                    if (a.getValue().equals(id)) {
                        spec = specs.get(a.getKey());
                        break;
                    }
                }
            }
            out.put(id, new Hardware(id, r.get("name"), kind, num(r.get("memory_gib")), num(r.get("bandwidth_gbs")),
                    num(r.get("fp32_tflops")), num(r.get("fp16_tensor_tflops_dense")),
                    num(r.get("bf16_tensor_tflops_dense")), num(r.get("fp8_tensor_tflops_dense")),
                    num(r.get("int8_tensor_tops_dense")), cpu, spec, r.get("memory_type"), num(r.get("pcie_gbs")),
                    num(r.get("nvlink_gbs"))));
        }
        return out;
    }

    /** A copy of {@code h} carrying another row of the original's table. */
    static Hardware withGpuPoor(Hardware h, GpuPoorSpec spec) {
        return new Hardware(h.id(), h.name(), h.kind(), h.memoryGiB(), h.bandwidthGBs(), h.fp32Tflops(),
                h.fp16Tflops(), h.bf16Tflops(), h.fp8Tflops(), h.int8Tops(), h.cpuMemory(), spec, h.memoryType(), h.pcieGBs(),
                h.nvlinkGBs());
    }

    private static Hardware.CpuMemory cpuMemory(String notes) {
        Matcher ch = CHANNELS.matcher(notes);
        Matcher co = CORES.matcher(notes);
        double ddr4 = 0;
        double ddr5 = 0;
        Matcher d = DDR.matcher(notes.split(";")[1]);
        while (d.find()) {
            if (d.group(1).equals("4")) {
                ddr4 = Double.parseDouble(d.group(2));
            } else {
                ddr5 = Double.parseDouble(d.group(2));
            }
        }
        return new Hardware.CpuMemory(ch.find() ? Integer.parseInt(ch.group(1)) : 2, ddr4, ddr5,
                co.find() ? Integer.parseInt(co.group(1)) : 0);
    }

    private static double num(String cell) {
        return cell == null || cell.isBlank() ? 0 : Double.parseDouble(cell.trim());
    }
}
