package gpupoor.calc;

import gpupoor.calc.original.GpuPoorMethod;

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

    /**
     * The estimate as flat text cells named like {@code estimate --csv}'s output columns
     * ({@code total_mib … ms_per_iter}, plus {@code gpus_needed}); parts the estimate lacks are absent.
     */
    public static Map<String, String> columns(Estimate e) {
        Map<String, String> out = new LinkedHashMap<>();
        if (e.memory() != null) {
            Map<String, Object> m = memory(e);
            out.put("total_mib", text(m.get("Total")));
            out.put("kv_mib", text(m.get("KV Cache")));
            out.put("model_mib", text(m.get("Model Size")));
            out.put("activation_mib", text(m.get("Activation Memory")));
            out.put("grad_opt_mib", text(m.get("Grad & Optimizer memory")));
            out.put("overhead_mib", text(m.get("cuda + other overhead")));
        }
        if (e.speed() != null) {
            Map<String, Object> s = speed(e);
            out.put("tok_s", text(s.get("Token per second")));
            out.put("ms_per_token", text(s.get("ms per token")));
            out.put("prompt_s", text(s.get("Prompt process time (s)")));
            out.put("bound", text(s.get("memory or compute bound?")));
        }
        if (e.training() != null) {
            Map<String, Object> t = training(e);
            out.put("ms_per_iter", text(t.get("ms per iteration (forward + backward)")));
            out.put("bound", text(t.get("memory or compute bound?")));
        }
        if (e.gpusNeeded() != null) {
            out.put("gpus_needed", Integer.toString(e.gpusNeeded()));
        }
        return out;
    }

    private static String text(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
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
