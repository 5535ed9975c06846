package gpupoor.catalog;

import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads {@code catalog/hardware.csv} into {@link Hardware} values. */
final class HardwareCsv {
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
            Hardware.CpuMemory cpu = kind == Hardware.Kind.CPU ? cpuMemory(r) : null;
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
                    num(r.get("int8_tensor_tops_dense")), cpu, spec, r.get("memory_type")));
        }
        return out;
    }

    /** A copy of {@code h} carrying another row of the original's table. */
    static Hardware withGpuPoor(Hardware h, GpuPoorSpec spec) {
        return new Hardware(h.id(), h.name(), h.kind(), h.memoryGiB(), h.bandwidthGBs(), h.fp32Tflops(),
                h.fp16Tflops(), h.bf16Tflops(), h.fp8Tflops(), h.int8Tops(), h.cpuMemory(), spec, h.memoryType());
    }

    /**
     * A CPU row's memory system from its {@code mem_channels}, {@code ddr4_mts}, {@code ddr5_mts} and
     * {@code cpu_cores} columns; a blank DDR column means that generation is not supported.
     */
    private static Hardware.CpuMemory cpuMemory(Map<String, String> r) {
        return new Hardware.CpuMemory((int) num(r.get("mem_channels")), num(r.get("ddr4_mts")), num(r.get("ddr5_mts")),
                (int) num(r.get("cpu_cores")));
    }

    private static double num(String cell) {
        return cell == null || cell.isBlank() ? 0 : Double.parseDouble(cell.trim());
    }
}
