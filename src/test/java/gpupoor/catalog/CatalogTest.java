package gpupoor.catalog;

import gpupoor.calc.GpuPoorSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {
    private final Catalog catalog = Catalog.get();

    @Test
    void modelIndexListsEveryBundledConfig() throws IOException {
        List<String> index = Files.readAllLines(Path.of("catalog/models/index.txt")).stream()
                .filter(s -> !s.isBlank()).toList();
        try (Stream<Path> files = Files.list(Path.of("catalog/models"))) {
            List<String> json = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .sorted().toList();
            assertEquals(json, index.stream().sorted().toList());
        }
        assertEquals(index.size(), catalog.modelIds().size());
    }

    @Test
    void loadsTheOriginalsTableWholly() {
        // reference §4.1: 2,980 entries
        assertEquals(2980, catalog.gpuPoorModelIds().size());
    }

    @Test
    void catalogModelKeepsTheOriginalsEntryForTheGpuPoorMethod() {
        ModelSpec m = catalog.model("meta-llama/Llama-2-7b-hf");
        assertEquals(ModelSpec.Source.CATALOG, m.source());
        assertEquals(4096, m.number(0, "hidden_size"));
        assertEquals(32, m.number(0, "num_key_value_heads"));
        assertTrue(m.gpuPoorConfig().containsKey("intermediate_size"));
        assertTrue(!m.gpuPoorConfig().containsKey("num_key_value_heads"), "the original stores no kv heads");
    }

    @Test
    void modelsOnlyTheOriginalKnowsResolveFromItsTable() {
        ModelSpec m = catalog.model("bigscience/bloom-560m");
        assertEquals(ModelSpec.Source.GPU_POOR_TABLE, m.source());
    }

    @Test
    void lookupIsCaseInsensitive() {
        assertEquals("meta-llama/Llama-3.1-8B", catalog.model("META-LLAMA/llama-3.1-8b").id());
    }

    @Test
    void sizesResolveToSizeOnlyModels() {
        ModelSpec m = catalog.model("7B");
        assertTrue(m.isSizeOnly());
        assertEquals(7.0, m.sizeBillions());
        assertEquals(0.5, catalog.model("0.5b").sizeBillions());
    }

    @Test
    void unknownModelSuggestsCloseIds() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> catalog.model("meta-llama/Llama-3.1-8"));
        assertTrue(e.getMessage().contains("did you mean"), e.getMessage());
        assertTrue(e.getMessage().contains("meta-llama/Llama-3.1-8B"), e.getMessage());
    }

    @Test
    void hardwareByCatalogIdOriginalKeyAndName() {
        Hardware h = catalog.hardware("a100-sxm4-80gb");
        assertEquals(Hardware.Kind.GPU, h.kind());
        assertEquals(80, h.memoryGiB());
        GpuPoorSpec.Gpu spec = assertInstanceOf(GpuPoorSpec.Gpu.class, h.gpuPoor());
        assertEquals(2039, spec.bandwidth());
        assertEquals("a100-sxm4-80gb", catalog.hardware("A100-80GB").id());
        assertEquals("rtx-4090", catalog.hardware("RTX 4090").id());
    }

    @Test
    void theOriginalsRtx4060KeyKeepsItsOwnNumbers() {
        // the original's "rtx-4060" row holds RTX 4060 Ti 16GB figures (reference §8.1)
        Hardware h = catalog.hardware("rtx-4060");
        assertEquals("rtx-4060", h.id());
        assertEquals(288, ((GpuPoorSpec.Gpu) h.gpuPoor()).bandwidth());
        assertEquals(16, ((GpuPoorSpec.Gpu) h.gpuPoor()).memory());
    }

    @Test
    void cpusCarryTheirMemorySystem() {
        Hardware cpu = catalog.hardware("ryzen-9-7950x");
        assertEquals(Hardware.Kind.CPU, cpu.kind());
        assertEquals(2, cpu.cpuMemory().channels());
        assertEquals(5200, cpu.cpuMemory().ddr5MTs());
        assertEquals(83.2, cpu.cpuMemory().bandwidthGBs(gpupoor.calc.Ddr.DDR5), 1e-9);
        GpuPoorSpec.Cpu spec = assertInstanceOf(GpuPoorSpec.Cpu.class, catalog.hardware("7950x").gpuPoor());
        assertEquals(970.0, spec.flops());
    }

    @Test
    void devicesTheOriginalDoesNotKnowHaveNoGpuPoorSpec() {
        assertNull(catalog.hardware("h200-sxm-141gb").gpuPoor());
        assertNull(catalog.hardware("m3-max-40c-64gb").gpuPoor(), "the original knows no Apple chip");
        assertNull(catalog.hardware("b200-180gb").gpuPoor());
    }

    @Test
    void unknownDeviceSuggestsCloseIds() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> catalog.hardware("rtx-4009"));
        assertTrue(e.getMessage().contains("rtx-4090"), e.getMessage());
    }

    @Test
    void everyOriginalDeviceHasACatalogRow() {
        assertEquals(24, catalog.gpuPoorHardware().size());
        catalog.gpuPoorHardware().forEach(h -> assertNotNull(h.gpuPoor(), h.id()));
    }
}
