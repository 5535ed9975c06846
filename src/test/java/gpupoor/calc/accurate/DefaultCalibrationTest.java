package gpupoor.calc.accurate;

import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;
import gpupoor.calc.Options;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.accurate.Calibration.Param;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Hardware;
import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;

import gpupoor.catalog.BundledCalibration;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calibration is data: looked up with fallbacks, complete for every runtime and device class. */
class DefaultCalibrationTest {

    private static Calibration parse(String csv) {
        return BundledCalibration.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv");
    }

    @Test
    void lookupFallsBackFromDeviceToFrameworkToAnything() {
        Calibration c = parse("""
                parameter,framework,device,value,unit,source
                decode_bw_eff,*,*,1,,
                decode_bw_eff,llama.cpp,*,2,,
                decode_bw_eff,llama.cpp,gpu-hbm,3,,
                """);
        assertEquals(3, c.get(Param.DECODE_BW_EFF, Framework.LLAMA_CPP, DeviceClass.GPU_HBM));
        assertEquals(2, c.get(Param.DECODE_BW_EFF, Framework.LLAMA_CPP, DeviceClass.CPU));
        assertEquals(1, c.get(Param.DECODE_BW_EFF, Framework.VLLM, DeviceClass.GPU_HBM));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c.get(Param.HOP_US, Framework.HF, DeviceClass.CPU));
        assertTrue(e.getMessage().contains("no value for hop_us"), e.getMessage());
    }

    @Test
    void anUnknownParameterIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                parameter,framework,device,value,unit,source
                decode_bw_effx,*,*,1,,
                """));
        assertTrue(e.getMessage().contains("decode_bw_effx") && e.getMessage().contains("decode_bw_eff,"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                parameter,framework,device,value,unit,source
                decode_bw_eff,*,*,1,,
                hop_us,*,*,fast,,
                """));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void everyBundledValueSaysWhereItCameFrom() {
        Calibration c = ((DefaultMethod) Methods.DEFAULT).calibration();
        assertTrue(c.entries().size() > 30);
        for (Calibration.Entry e : c.entries().values()) {
            assertTrue(e.source() != null && e.source().length() > 10, e.key() + " has no source");
            assertTrue(Double.isFinite(e.value()), e.key());
        }
    }

    @Test
    void theBundledCalibrationCoversEveryRuntimeAndDevice() {
        Catalog cat = Catalog.get();
        ModelSpec m = cat.model("meta-llama/Llama-3.1-8B");
        for (String device : List.of("rtx-4090", "h100-sxm5-80gb", "m2-max-38c-64gb", "ryzen-9-7950x")) {
            Hardware d = cat.hardware(device);
            for (Framework f : Framework.all()) {
                if (!f.serves()) {
                    continue;
                }
                Quant q = runs(f);
                Scenario s = new Scenario(m, q, f, Workload.inference(256, 256), d, 1, null, Options.NONE);
                boolean refused = false;
                try {
                    Methods.DEFAULT.check(s);
                } catch (InvalidScenarioException ex) {
                    // the runtime's own rule: vLLM and its kin, ExLlama run on GPUs, MLX on Apple chips
                    refused = true;
                    assertTrue(f == Framework.MLX ? !d.isApple() : !d.isGpu() && !(f == Framework.MLC && d.isApple()),
                            device + " " + f + ": " + ex.getMessage());
                }
                if (refused) {
                    continue;
                }
                Estimate e = Methods.DEFAULT.estimate(s);
                assertTrue(e.speed().tokensPerSecond() > 0, device + " " + f);
                if (f == Framework.LLAMA_CPP) {
                    Estimate cpu = Methods.DEFAULT.estimate(s.withOptions(Options.NONE.withGpuLayers(0)));
                    assertTrue(cpu.speed().tokensPerSecond() > 0, device + " CPU layers");
                }
            }
            if (!d.isCpu()) {
                for (Framework f : Framework.all()) {
                    if (!f.trains()) {
                        continue;
                    }
                    Scenario t = new Scenario(m, Quant.NONE, f, Workload.training(TrainMethod.QLORA, 512), d, 1, null,
                            Options.NONE);
                    assertTrue(Methods.DEFAULT.estimate(t).training().msPerIteration() > 0, device + " " + f);
                }
            }
        }
    }

    /** A weight format the runtime runs. */
    private static Quant runs(Framework f) {
        if (f == Framework.LLAMA_CPP || f == Framework.OLLAMA) {
            return Quant.Q4_K_M;
        }
        if (f == Framework.EXLLAMA) {
            return Quant.GPTQ_INT4;
        }
        if (f == Framework.EXLLAMAV2) {
            return Quant.EXL2;
        }
        if (f == Framework.MLC) {
            return Quant.MLC_Q4F16_1;
        }
        return f == Framework.MLX ? Quant.MLX_4BIT : Quant.NONE;
    }
}
