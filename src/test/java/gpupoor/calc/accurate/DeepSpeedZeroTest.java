package gpupoor.calc.accurate;

import gpupoor.args.ScenarioArgs;
import gpupoor.calc.Methods;
import gpupoor.calc.Scenario;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our model states per GPU under DeepSpeed ZeRO against DeepSpeed's own estimators, on the same
 * inputs: {@code estimate_zero2_model_states_mem_needs} (deepspeed/runtime/zero/stage_1_and_2.py) and
 * {@code estimate_zero3_model_states_mem_needs} (deepspeed/runtime/zero/stage3.py), deepspeedai/DeepSpeed
 * at commit edaa7221267243c7be7fb49c5d5f5c4fb97b4641. Their formulas are restated below from that
 * code (an independent implementation of theirs, not of ours): mixed-precision Adam, one node.
 * <ul>
 *   <li>ZeRO-2: GPU {@code 2·P + int(18·P/N)} (16-bit weights; 16-bit and fp32 gradients, fp32 master
 *       weights and Adam's two moments sharded); with CPU offload {@code 2·P} on the GPU and
 *       {@code P·max(4·N, 16)·1.5} in host memory;</li>
 *   <li>ZeRO-3: GPU {@code 4·L + int(18·P/N)} (L: the largest module's parameters, gathered with their
 *       gradients); offloading the optimizer {@code 4·L + int(2·P/N)}, host {@code 16·P·1.5}; offloading
 *       the parameters too {@code 4·L}, host {@code 18·P·1.5} (with {@code zero_init}).</li>
 * </ul>
 * The host figures carry DeepSpeed's {@code additional_buffer_factor} of 1.5 (pinned buffers) and, for
 * ZeRO-2, the fp32 model every process loads ({@code 4·N} bytes per parameter); ours are the offloaded
 * states themselves, so they must lie between DeepSpeed's states term without those (16 bytes per
 * parameter: fp32 master weights, gradients and two moments) and its whole figure.
 */
class DeepSpeedZeroTest {

    private static final String MODEL = "meta-llama/Llama-2-7b-hf";

    /** DeepSpeed's estimate_zero2_model_states_mem_needs: {cpu, gpu}. */
    private static long[] zero2(long p, int gpus, boolean offload) {
        double buffer = 1.5;
        if (offload) {
            return new long[]{(long) (p * Math.max(4.0 * gpus, 16) * buffer), 2 * p};
        }
        return new long[]{(long) (p * 4.0 * gpus * buffer), 2 * p + (long) (18.0 * p / gpus)};
    }

    /** DeepSpeed's estimate_zero3_model_states_mem_needs with zero_init: {cpu, gpu}. */
    private static long[] zero3(long p, long largest, int gpus, boolean offload, boolean offloadParams) {
        double buffer = 1.5;
        long layer = 4 * largest;
        if (offload && offloadParams) {
            return new long[]{(long) (p * 18 * buffer), layer};
        }
        if (offload) {
            return new long[]{(long) (p * 16 * buffer), layer + (long) (2.0 * p / gpus)};
        }
        return new long[]{(long) (largest * 4.0 * gpus * buffer), layer + (long) (18.0 * p / gpus)};
    }

    private static double[] ours(int zero, int gpus, String offload) {
        List<String> args = new ArrayList<>(List.of("--model", MODEL, "--mode", "training", "--method", "full",
                "--optimizer", "adam", "--precision", "mixed", "--gpu", "a100-sxm4-80gb", "--gpus", String.valueOf(gpus),
                "--zero", String.valueOf(zero), "--cpu-offload", offload));
        Scenario s = ScenarioArgs.parse(args).builder(Catalog.get()).build();
        DefaultMethod m = (DefaultMethod) Methods.DEFAULT;
        return TrainingPlan.modelStates(m.context(s), gpus);
    }

    private static long params() {
        return Architecture.of(Catalog.get().model(MODEL)).totalParams();
    }

    @ParameterizedTest(name = "ZeRO-2 on {0} GPU(s), CPU offload {1}")
    @CsvSource({"1,none", "2,none", "4,none", "8,none", "1,optimizer", "4,optimizer", "8,optimizer"})
    void zero2MatchesDeepSpeedsEstimator(int gpus, String offload) {
        long p = params();
        boolean off = !offload.equals("none");
        long[] ds = zero2(p, gpus, off);
        double[] ours = ours(2, gpus, offload);
        assertEquals(ds[1], ours[0], 0.001 * ds[1], "GPU bytes");
        if (off) {
            // host memory of all GPUs together
            double host = ours[1] * gpus;
            assertTrue(host >= 16.0 * p && host <= ds[0], host + " vs DeepSpeed " + ds[0]);
        }
    }

    @ParameterizedTest(name = "ZeRO-3 on {0} GPU(s), CPU offload {1}")
    @CsvSource({"2,none", "8,none", "64,none", "2,optimizer", "8,optimizer", "8,all", "64,all"})
    void zero3MatchesDeepSpeedsEstimator(int gpus, String offload) {
        long p = params();
        long largest = (long) TrainingPlan.largestTensorParams(Architecture.of(Catalog.get().model(MODEL)));
        // Llama-2-7B's largest module is its 32000 x 4096 embedding (the LM head is as large)
        assertEquals(32000L * 4096, largest);
        long[] ds = zero3(p, largest, gpus, !offload.equals("none"), offload.equals("all"));
        double[] ours = ours(3, gpus, offload);
        assertEquals(ds[1], ours[0], 0.001 * ds[1], "GPU bytes");
        if (!offload.equals("none")) {
            double host = ours[1] * gpus;
            assertTrue(host >= ds[0] / 1.5 && host <= ds[0], host + " vs DeepSpeed " + ds[0]);
            assertTrue(host >= 16.0 * p, "at least the fp32 master weights, gradients and moments");
        }
    }
}
