package gpupoor.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gpupoor.calc.GpuPoorSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the original calculator's {@code gpu_config.json} and {@code cpu_config.json}. */
final class GpuPoorTables {
    private GpuPoorTables() {
    }

    /** Every GPU and CPU row, keyed by the original's key, GPUs first. */
    static Map<String, GpuPoorSpec> read(String gpuJson, String cpuJson) {
        ObjectMapper json = new ObjectMapper();
        Map<String, GpuPoorSpec> out = new LinkedHashMap<>();
        try {
            json.readTree(gpuJson).fields().forEachRemaining(e -> {
                JsonNode n = e.getValue();
                out.put(e.getKey(), new GpuPoorSpec.Gpu(e.getKey(), n.get("bandwidth").asDouble(),
                        n.get("compute").asDouble(), n.get("memory").asDouble()));
            });
            json.readTree(cpuJson).fields().forEachRemaining(e -> {
                JsonNode n = e.getValue();
                out.put(e.getKey(), new GpuPoorSpec.Cpu(e.getKey(), n.get("Speed").asDouble(),
                        n.get("speed_ddr4").asDouble(), n.get("Bus").asText(), n.get("Cores").asInt(),
                        n.get("ddr4").asInt() == 1, n.get("ddr5").asInt() == 1, n.get("Flops").asDouble()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
