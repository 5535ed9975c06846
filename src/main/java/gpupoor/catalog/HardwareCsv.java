package gpupoor.catalog;

import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Names;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
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
    static Map<String, Hardware> read(List<Map<String, String>> rows, Map<String, GpuPoorSpec> specs, Map<String, String> aliases) {
        Map<String, Hardware> out = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
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
                    num(r.get("int8_tensor_tops_dense")), cpu, spec, r.get("memory_type"), num(r.get("pcie_gbs")),
                    num(r.get("nvlink_gbs"))));
        }
        return out;
    }

    /** Each row's {@code vendor} column by id. */
    static Map<String, String> vendors(List<Map<String, String>> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            out.put(r.get("id"), r.get("vendor") == null ? "" : r.get("vendor"));
        }
        return out;
    }

    /** The columns of {@code hardware.csv} (described in {@code catalog/hardware.md}). */
    static final List<String> COLUMNS = List.of("id", "vendor", "name", "kind", "memory_gib", "memory_type", "bandwidth_gbs",
            "fp32_tflops", "fp16_tensor_tflops_dense", "bf16_tensor_tflops_dense", "fp8_tensor_tflops_dense",
            "int8_tensor_tops_dense", "tdp_w", "release_year", "interconnect", "pcie_gbs", "nvlink_gbs", "mem_channels",
            "ddr4_mts", "ddr5_mts", "cpu_cores", "source", "notes");
    private static final List<String> TEXT_COLUMNS = List.of("id", "vendor", "name", "kind", "memory_type", "interconnect",
            "source", "notes");

    /**
     * The rows of a user's hardware file, checked: the header names only {@code hardware.csv}'s
     * columns and has {@code id}, {@code kind} and {@code bandwidth_gbs}; every row has an id, a
     * kind of gpu, apple or cpu, numbers (or blanks) in the number columns, a bandwidth, and the
     * memory and 16-bit rate a GPU or Apple chip needs (a CPU: its fp32 rate).
     *
     * @throws InvalidScenarioException naming the file, the row (as a spreadsheet numbers it), the column and what is accepted
     */
    static List<Map<String, String>> readUserFile(Path file) {
        List<Map<String, String>> rows;
        String what = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidScenarioException("hardware file '" + what + "' is not a readable file");
        }
        try {
            rows = Csv.read(Files.newInputStream(file), what);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidScenarioException("cannot read hardware file '" + what + "': " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new InvalidScenarioException("hardware file '" + what + "' has no rows under its header");
        }
        for (String column : rows.get(0).keySet()) {
            if (!COLUMNS.contains(column)) {
                throw new InvalidScenarioException("hardware file '" + what + "': unknown column '" + column
                        + "'; the columns are those of hardware.csv: " + String.join(", ", COLUMNS)
                        + Names.didYouMean(column, COLUMNS));
            }
        }
        for (String column : List.of("id", "kind", "bandwidth_gbs")) {
            if (!rows.get(0).containsKey(column)) {
                throw new InvalidScenarioException("hardware file '" + what + "' lacks the column " + column
                        + " (needed: id, kind, bandwidth_gbs, and memory_gib and fp16_tensor_tflops_dense for GPUs)");
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            check(what, i + 2, rows.get(i));
        }
        return rows;
    }

    private static void check(String file, int line, Map<String, String> r) {
        String where = "hardware file '" + file + "' row " + line;
        String id = r.get("id");
        if (id == null || id.isBlank()) {
            throw new InvalidScenarioException(where + ": the id is empty");
        }
        where += " (" + id + ")";
        String kind = r.get("kind") == null ? "" : r.get("kind").trim().toLowerCase(Locale.ROOT);
        if (!List.of("gpu", "apple", "cpu").contains(kind)) {
            throw new InvalidScenarioException(where + ": kind '" + r.get("kind") + "' must be gpu, apple or cpu");
        }
        for (Map.Entry<String, String> e : r.entrySet()) {
            String v = e.getValue();
            if (TEXT_COLUMNS.contains(e.getKey()) || v == null || v.isBlank()) {
                continue;
            }
            double x;
            try {
                x = Double.parseDouble(v.trim());
            } catch (NumberFormatException ex) {
                throw new InvalidScenarioException(where + ", column " + e.getKey() + ": '" + v + "' is not a number");
            }
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new InvalidScenarioException(where + ", column " + e.getKey() + ": " + v + " must be 0 or a positive number");
            }
        }
        List<String> needed = kind.equals("cpu") ? List.of("bandwidth_gbs", "fp32_tflops")
                : List.of("memory_gib", "bandwidth_gbs", "fp16_tensor_tflops_dense");
        for (String column : needed) {
            if (num(r.get(column)) <= 0) {
                throw new InvalidScenarioException(where + ": a " + kind + " needs " + column + " (a positive number; "
                        + "units as in hardware.md: memory in GiB, bandwidth in GB/s, compute in TFLOPS)");
            }
        }
    }

    /** A copy of {@code h} carrying another row of the original's table. */
    static Hardware withGpuPoor(Hardware h, GpuPoorSpec spec) {
        return new Hardware(h.id(), h.name(), h.kind(), h.memoryGiB(), h.bandwidthGBs(), h.fp32Tflops(),
                h.fp16Tflops(), h.bf16Tflops(), h.fp8Tflops(), h.int8Tops(), h.cpuMemory(), spec, h.memoryType(), h.pcieGBs(),
                h.nvlinkGBs());
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
