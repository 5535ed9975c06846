package gpupoor.catalog;

import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Devices beyond the catalog's rows: from their figures, with figures replaced, from a hardware file; and names as people type them. */
class CustomDevicesTest {

    private static String error(Runnable r) {
        return assertThrows(InvalidScenarioException.class, r::run).getMessage();
    }

    @Test
    void aGpuFromItsFigures() {
        Hardware h = DeviceSpec.parse("memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS", Hardware.Kind.GPU, null);
        assertEquals(Hardware.Kind.GPU, h.kind());
        assertEquals(16, h.memoryGiB());
        assertEquals(448, h.bandwidthGBs());
        assertEquals(47, h.fp16Tflops());
        // bf16 at the fp16 rate unless given; no original-calculator numbers for a made-up device
        assertEquals(47, h.bf16Tflops());
        assertNull(h.gpuPoor());
        assertEquals("GDDR", h.memoryType());
    }

    @Test
    void unitsAreConvertedAndRequired() {
        Hardware h = DeviceSpec.parse("name=My HBM card, memory=0.5TiB, bandwidth=3.35TB/s, fp16=1.2PFLOPS, fp8=2000TFLOPS, "
                + "int8=4000TOPS, fp32=60000GFLOPS, memory-type=hbm3", Hardware.Kind.GPU, null);
        assertEquals(512, h.memoryGiB());
        assertEquals(3350, h.bandwidthGBs(), 1e-9);
        assertEquals(1200, h.fp16Tflops(), 1e-9);
        assertEquals(2000, h.fp8Tflops());
        assertEquals(4000, h.int8Tops());
        assertEquals(60, h.fp32Tflops(), 1e-9);
        assertEquals("HBM3", h.memoryType());
        assertEquals("my-hbm-card", h.id());
        // a vendor's "24 GB" card has 24 GiB (hardware.md, caveat 6)
        assertEquals(24, DeviceSpec.parse("memory=24GB,bandwidth=1TB/s,fp16=100TFLOPS", Hardware.Kind.GPU, null).memoryGiB());
    }

    @Test
    void badSpecsSayWhichFieldAndWhichUnit() {
        String m = error(() -> DeviceSpec.parse("memory=16,bandwidth=448GB/s,fp16=47TFLOPS", Hardware.Kind.GPU, null));
        assertTrue(m.contains("memory=16 needs a unit") && m.contains("GiB"), m);
        m = error(() -> DeviceSpec.parse("memory=16GiB,bandwidth=448GB,fp16=47TFLOPS", Hardware.Kind.GPU, null));
        assertTrue(m.contains("'GB' is not a unit of bandwidth") && m.contains("GB/s"), m);
        m = error(() -> DeviceSpec.parse("memory=16GiB,bandwith=448GB/s,fp16=47TFLOPS", Hardware.Kind.GPU, null));
        assertTrue(m.contains("unknown field 'bandwith'") && m.contains("did you mean: bandwidth"), m);
        m = error(() -> DeviceSpec.parse("memory=16GiB,fp16=47TFLOPS", Hardware.Kind.GPU, null));
        assertTrue(m.contains("needs bandwidth"), m);
        m = error(() -> DeviceSpec.parse("memory=-4GiB,bandwidth=448GB/s,fp16=47TFLOPS", Hardware.Kind.GPU, null));
        assertTrue(m.contains("memory=-4GiB"), m);
        m = error(() -> DeviceSpec.parse("kind=tpu,memory=16GiB", Hardware.Kind.GPU, null));
        assertTrue(m.contains("gpu, apple and cpu"), m);
        m = error(() -> DeviceSpec.parse("memory=16GiB,memory=8GiB", Hardware.Kind.GPU, null));
        assertTrue(m.contains("given twice"), m);
        m = error(() -> DeviceSpec.parse("bandwidth=90GB/s", Hardware.Kind.CPU, null));
        assertTrue(m.contains("fp32"), m);
    }

    @Test
    void aCatalogDeviceWithFiguresReplaced() {
        Hardware base = Catalog.get().hardware("rtx-4090");
        Hardware h = DeviceSpec.parse("memory=48GiB", base.kind(), base);
        assertEquals(48, h.memoryGiB());
        assertEquals(base.bandwidthGBs(), h.bandwidthGBs());
        assertEquals(base.fp16Tflops(), h.fp16Tflops());
        assertEquals("rtx-4090-custom", h.id());
        assertTrue(h.name().contains("memory 48 GiB"), h.name());
        assertNull(h.gpuPoor(), "the original calculator's table describes the unmodified card");
        assertEquals(1200, DeviceSpec.override(base, DeviceSpec.Field.BANDWIDTH, 1200).bandwidthGBs());
    }

    @Test
    void appleAndCpuSpecs() {
        Hardware apple = DeviceSpec.parse("kind=apple,memory=64GiB,bandwidth=546GB/s,fp16=34TFLOPS", Hardware.Kind.GPU, null);
        assertEquals(Hardware.Kind.APPLE, apple.kind());
        assertEquals(34, apple.fp32Tflops(), "an Apple GPU's fp32 runs at its fp16 rate");
        Hardware cpu = DeviceSpec.parse("bandwidth=90GB/s,fp32=2TFLOPS", Hardware.Kind.CPU, null);
        assertEquals(0, cpu.memoryGiB());
        assertEquals(90, cpu.bandwidthGBs());
    }

    @Test
    void namesAsPeopleTypeThem() {
        Catalog c = Catalog.get();
        // a unique match resolves
        assertEquals("mi300x", c.hardware("amd-mi300x").id());
        assertEquals("mi300x", c.hardware("AMD Instinct MI300X").id());
        assertEquals("rx-7900-xtx", c.hardware("radeon 7900 xtx").id());
        assertEquals("rtx-4090", c.hardware("RTX 4090").id());
        // several: suggested, GPUs before a CPU whose name merely looks alike
        String m = error(() -> c.hardware("RTX 5060 Ti", Hardware.Kind.GPU));
        assertTrue(m.contains("rtx-5060-ti-16gb") && m.contains("rtx-5060-ti-8gb") && !m.contains("5070"), m);
        m = error(() -> c.hardware("3090", Hardware.Kind.GPU));
        assertTrue(m.contains("rtx-3090, rtx-3090-ti") && !m.toLowerCase().contains("3990"), m);
        m = error(() -> c.hardware("5060 ti"));
        assertTrue(m.contains("rtx-5060-ti-16gb"), m);
        // a spec given where a name belongs says where it goes
        m = error(() -> c.hardware("memory=16GiB"));
        assertTrue(m.contains("device figures"), m);
    }

    @Test
    void aHardwareFileExtendsTheCatalog(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mine.csv");
        Files.writeString(f, """
                id,vendor,name,kind,memory_gib,memory_type,bandwidth_gbs,fp32_tflops,fp16_tensor_tflops_dense
                rtx-4090-48gb,NVIDIA,RTX 4090 48GB (modded),gpu,48,GDDR6X,1008,82.6,165.2
                my-cpu,AMD,Home server,cpu,,DDR5,89.6,2.5,
                """);
        Catalog c = Catalog.get().withHardware(f);
        assertEquals(48, c.hardware("rtx-4090-48gb").memoryGiB());
        assertEquals(Hardware.Kind.CPU, c.hardware("my-cpu").kind());
        // the bundled catalog is untouched and still answers
        assertEquals(24, c.hardware("rtx-4090").memoryGiB());
        assertThrows(InvalidScenarioException.class, () -> Catalog.get().hardware("rtx-4090-48gb"));
    }

    @Test
    void badHardwareFilesNameTheRowAndColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "id,kind,memory_gib,bandwidth_gbs,fp16_tensor_tflops_dense\nok,gpu,8,300,20\nx,gpu,8,fast,20\n");
        String m = error(() -> Catalog.get().withHardware(f));
        assertTrue(m.contains("row 3 (x)") && m.contains("bandwidth_gbs") && m.contains("'fast' is not a number"), m);
        Files.writeString(f, "id,kind,memory_gib,bandwith_gbs\nx,gpu,8,300\n");
        m = error(() -> Catalog.get().withHardware(f));
        assertTrue(m.contains("unknown column 'bandwith_gbs'") && m.contains("did you mean: bandwidth_gbs"), m);
        Files.writeString(f, "id,kind,memory_gib,bandwidth_gbs\nx,gpu,8,300\n");
        m = error(() -> Catalog.get().withHardware(f));
        assertTrue(m.contains("row 2 (x)") && m.contains("fp16_tensor_tflops_dense"), m);
        Files.writeString(f, "id,kind,bandwidth_gbs\nx,tpu,300\n");
        m = error(() -> Catalog.get().withHardware(f));
        assertTrue(m.contains("kind 'tpu' must be gpu, apple or cpu"), m);
        m = error(() -> Catalog.get().withHardware(dir.resolve("missing.csv")));
        assertTrue(m.contains("not a readable file"), m);
    }
}
