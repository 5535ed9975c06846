package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static gpupoor.cli.EstimateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code list} and the device options of issue 11 ({@code --gpu-spec}, {@code --hardware-file}) on the command line. */
class ListAndDeviceOptionsTest {

    @Test
    void listsModelsDevicesAndQuantsWithAFilter() {
        EstimateCommandTest.Run r = run("list", "models", "--filter", "qwen3 next");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Qwen/Qwen3-Next-80B-A3B-Instruct") && r.out().contains("1 row"), r.out());
        r = run("list", "devices", "--filter", "4090", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().strip().split("\n").length, r.out());
        assertTrue(r.out().startsWith("id,name,kind,memory_gib"), r.out());
        r = run("list", "quants", "--filter", "gguf q4");
        assertTrue(r.out().contains("gguf-Q4_K_M") && !r.out().contains("bnb-nf4"), r.out());
    }

    @Test
    void listRefusesWhatItDoesNotHave() {
        EstimateCommandTest.Run r = run("list", "gpuz");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("list models, devices or quants"), r.err());
        r = run("list", "models", "--format", "xml");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("table and csv"), r.err());
    }

    @Test
    void aGpuFromItsFiguresOnTheCommandLine() throws IOException {
        EstimateCommandTest.Run r = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "gguf-Q4_K_M",
                "--gpu-spec", "memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS", "--explain");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        // 16 GiB less the driver's share; decode bound by 448 GB/s
        assertTrue(json.get("budget").get("usable MiB per device").asDouble() < 16 * 1024);
        assertTrue(json.get("assumptions").toString().contains("448 GB/s"), json.get("assumptions").toString());
    }

    @Test
    void figuresReplaceACatalogDevices() throws IOException {
        EstimateCommandTest.Run plain = run("estimate", "--model", "meta-llama/Llama-3.1-70B", "--gpu", "rtx-4090", "--explain");
        EstimateCommandTest.Run big = run("estimate", "--model", "meta-llama/Llama-3.1-70B", "--gpu", "rtx-4090",
                "--gpu-spec", "memory=48GiB", "--explain");
        assertEquals(0, big.code(), big.err());
        double usablePlain = new ObjectMapper().readTree(plain.out()).get("budget").get("usable MiB per device").asDouble();
        double usableBig = new ObjectMapper().readTree(big.out()).get("budget").get("usable MiB per device").asDouble();
        assertEquals(24 * 1024, usableBig - usablePlain, 1e-6);
    }

    @Test
    void badSpecsExitTwoNamingTheOption() {
        EstimateCommandTest.Run r = run("estimate", "--model", "7B", "--gpu-spec", "memory=16,bandwidth=448GB/s,fp16=47TFLOPS");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--gpu-spec memory=16,") && r.err().contains("needs a unit"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aHardwareFileOnTheCommandLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("hw.csv");
        Files.writeString(f, "id,kind,memory_gib,memory_type,bandwidth_gbs,fp16_tensor_tflops_dense\nmy-card,gpu,20,GDDR6,600,80\n");
        EstimateCommandTest.Run r = run("estimate", "--model", "7B", "--hardware-file", f.toString(), "--gpu", "my-card");
        assertEquals(0, r.code(), r.err());
        r = run("list", "devices", "--hardware-file", f.toString(), "--filter", "my-card");
        assertTrue(r.out().contains("my-card") && r.out().contains("1 row"), r.out());
        Files.writeString(f, "id,kind,memory_gib,bandwidth_gbs,fp16_tensor_tflops_dense\nmy-card,gpu,20,lots,80\n");
        r = run("estimate", "--model", "7B", "--hardware-file", f.toString(), "--gpu", "my-card");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("row 2 (my-card), column bandwidth_gbs"), r.err());
    }
}
