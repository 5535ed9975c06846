package gpupoor.calc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An estimate as the original calculator's output objects (the "seed" keys), for JSON, CSV and
 * display. With the gpu-poor method the values are rounded as the original rounds them: memory
 * parts ceiled one by one, the overhead unrounded, tokens/s rounded (or "&lt; 1"), milliseconds and
 * seconds to 2 decimals. With the default method: MiB to 1 decimal, tokens/s to 1 decimal,
 * milliseconds and seconds to 2 (prompt seconds to 3).
 */
public final class SeedFormat {
    private SeedFormat() {
    }

    /** Key of the memory object. */
    public static final String MEMORY = "memory";
    /** Key of the speed object. */
    public static final String SPEED = "speed";
    /** Key of the training object. */
    public static final String TRAINING = "training";

    /** The memory object: Total, KV Cache, Model Size, Activation Memory, Grad &amp; Optimizer memory, cuda + other overhead. */
    public static Map<String, Object> memory(Estimate e) {
        MemoryBreakdown m = e.memory();
        Map<String, Object> out = new LinkedHashMap<>();
        boolean original = isOriginal(e);
        out.put("Total", mib(m.totalMiB(), original));
        out.put("KV Cache", mib(m.kvCacheMiB(), original));
        out.put("Model Size", mib(m.weightsMiB(), original));
        out.put("Activation Memory", mib(m.activationMiB(), original));
        out.put("Grad & Optimizer memory", mib(m.gradOptimizerMiB(), original));
        out.put("cuda + other overhead", original ? NumberText.shortest(m.overheadMiB()) : decimals(m.overheadMiB(), 1));
        return out;
    }

    /** The speed object: Token per second, ms per token, Prompt process time (s), memory or compute bound?. */
    public static Map<String, Object> speed(Estimate e) {
        Speed s = e.speed();
        Map<String, Object> out = new LinkedHashMap<>();
        if (isOriginal(e)) {
            long rounded = NumberText.round(s.tokensPerSecond());
            out.put("Token per second", rounded >= 1 ? (Object) rounded : "< 1");
            out.put("ms per token", NumberText.fixed2(s.msPerToken()));
            out.put("Prompt process time (s)", NumberText.fixed2(s.promptSeconds()));
        } else {
            out.put("Token per second", decimals(s.tokensPerSecond(), 1));
            out.put("ms per token", decimals(s.msPerToken(), 2));
            out.put("Prompt process time (s)", decimals(s.promptSeconds(), 3));
        }
        out.put("memory or compute bound?", s.bound().toString());
        return out;
    }

    /** The training object: ms per iteration (forward + backward), memory or compute bound?. */
    public static Map<String, Object> training(Estimate e) {
        TrainingTime t = e.training();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ms per iteration (forward + backward)",
                isOriginal(e) ? NumberText.fixed2(t.msPerIteration()) : decimals(t.msPerIteration(), 2));
        out.put("memory or compute bound?", t.bound().toString());
        return out;
    }

    /** The whole object: memory, speed and training where the estimate has them. */
    public static Map<String, Object> of(Estimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (e.memory() != null) {
            out.put(MEMORY, memory(e));
        }
        if (e.speed() != null) {
            out.put(SPEED, speed(e));
        }
        if (e.training() != null) {
            out.put(TRAINING, training(e));
        }
        return out;
    }

    private static boolean isOriginal(Estimate e) {
        return GpuPoorMethod.ID.equals(e.method());
    }

    private static Object mib(double value, boolean original) {
        if (original) {
            return NumberText.shortest(Math.ceil(value));
        }
        return decimals(value, 1);
    }

    private static BigDecimal decimals(double value, int places) {
        requireFinite(value);
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP);
    }

    private static void requireFinite(double x) {
        if (!Double.isFinite(x)) {
            throw new InvalidScenarioException("the result is not a finite number; check that every input is positive");
        }
    }
}
