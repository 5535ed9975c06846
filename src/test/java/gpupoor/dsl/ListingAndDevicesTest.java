package gpupoor.dsl;

import gpupoor.calc.InvalidScenarioException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static gpupoor.dsl.Dsl.devices;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.cpu;
import static gpupoor.dsl.Dsl.model;
import static gpupoor.dsl.Dsl.models;
import static gpupoor.dsl.Dsl.quants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSL's listings and custom devices. */
class ListingAndDevicesTest {

    @Test
    void modelsAreListedWithTheirShape() {
        Table all = models();
        assertTrue(all.rowCount() >= 88, "every catalog model: " + all.rowCount());
        Table next = models("qwen3-next");
        assertEquals(1, next.rowCount());
        // 12 attention layers of 48; 12 x 2 x 2 x 256 x 2 bytes = 24 KiB per token
        assertEquals(12, next.intColumn("attention_layers").get(0));
        assertEquals(24, next.doubleColumn("kv_kib_per_token").get(0));
        assertEquals(79.674, next.doubleColumn("params_b").get(0), 0.001);
        // a filter also searches the original calculator's table
        assertTrue(models("vicuna").rowCount() > 0);
        assertEquals("gpu_poor table", models("vicuna").stringColumn("source").get(0));
    }

    @Test
    void devicesAndQuantsFilter() {
        assertEquals(2, devices("4090").rowCount());
        assertTrue(devices("apple m4 max").rowCount() >= 4);
        assertTrue(devices().rowCount() >= 150);
        Table q = quants("gguf");
        assertTrue(q.rowCount() >= 16);
        q.stringColumn("family").forEach(f -> assertEquals("gguf", f));
        assertEquals(0, quants("nothing-like-this").rowCount());
    }

    @Test
    void aGpuFromItsFiguresAndOverrides() {
        Device d = gpu("memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS");
        assertEquals(16, d.memoryGiB());
        Device big = gpu("rtx-4090").withMemory(48);
        assertEquals(48, big.memoryGiB());
        assertEquals(1200, gpu("rtx-4090").withBandwidth(1200).hardware().bandwidthGBs());
        assertEquals(96, gpu("rtx-4090").with("memory=48GiB").times(2).memoryGiB());
        // a model that does not fit 24 GiB fits 48
        Report small = model("Qwen/Qwen2.5-14B").on(gpu("rtx-4090")).estimate();
        Report large = model("Qwen/Qwen2.5-14B").on(big).estimate();
        assertEquals(Boolean.FALSE, small.estimate().budget().fits());
        assertEquals(Boolean.TRUE, large.estimate().budget().fits());
    }

    @Test
    void badFiguresAreDslErrors() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> gpu("memory=16,bandwidth=448GB/s,fp16=4TFLOPS"));
        assertTrue(e.getMessage().startsWith("gpu(\"memory=16,"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> gpu("rtx-4090").withMemory(-1));
        assertTrue(e.getMessage().contains("memory must be a positive number"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> gpu("kind=cpu,bandwidth=90GB/s,fp32=2TFLOPS"));
        assertTrue(e.getMessage().contains("use cpu("), e.getMessage());
        assertEquals(90, cpu("bandwidth=90GB/s,fp32=2TFLOPS").hardware().bandwidthGBs());
    }
}
