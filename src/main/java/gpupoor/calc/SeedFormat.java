package gpupoor.calc;

import gpupoor.calc.original.GpuPoorMethod;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An estimate as the original calculator's output objects (the "seed" keys), for JSON, CSV and
 * display, rounded as the method that made it rounds ({@link Method#rounding()}: the gpu-poor
 * method as the original does, the default method to fixed decimals).
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
        SeedRounding r = rounding(e);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Total", r.mib(m.totalMiB()));
        out.put("KV Cache", r.mib(m.kvCacheMiB()));
        out.put("Model Size", r.mib(m.weightsMiB()));
        out.put("Activation Memory", r.mib(m.activationMiB()));
        out.put("Grad & Optimizer memory", r.mib(m.gradOptimizerMiB()));
        out.put("cuda + other overhead", r.overheadMiB(m.overheadMiB()));
        if (m.hostAllocatedMiB() > 0) {
            out.put(HOST_ALLOCATED, r.mib(m.hostAllocatedMiB()));
        }
        if (m.hostMappedMiB() > 0) {
            out.put(HOST_MAPPED, r.mib(m.hostMappedMiB()));
        }
        return out;
    }

    /** Key of the host memory the runtime allocates beside the device(s) (only where there is some). */
    public static final String HOST_ALLOCATED = "Host memory allocated";
    /** Key of the host memory mapped from the model file (only where there is some). */
    public static final String HOST_MAPPED = "Host memory mapped (file)";

    /** The speed object: Token per second, ms per token, Prompt process time (s), memory or compute bound?. */
    public static Map<String, Object> speed(Estimate e) {
        Speed s = e.speed();
        SeedRounding r = rounding(e);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Token per second", r.tokensPerSecond(s.tokensPerSecond()));
        out.put("ms per token", r.ms(s.msPerToken()));
        out.put("Prompt process time (s)", r.promptSeconds(s.promptSeconds()));
        out.put("memory or compute bound?", s.bound().toString());
        return out;
    }

    /** The training object: ms per iteration (forward + backward), memory or compute bound?. */
    public static Map<String, Object> training(Estimate e) {
        TrainingTime t = e.training();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ms per iteration (forward + backward)", rounding(e).ms(t.msPerIteration()));
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
     * ({@code total_mib … ms_per_iter}, {@code host_allocated_mib}, {@code host_mapped_mib}, plus {@code gpus_needed}
     * and {@code max_concurrency}); parts the estimate lacks are absent.
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
            out.put("host_allocated_mib", text(m.getOrDefault(HOST_ALLOCATED, BigDecimal.ZERO)));
            out.put("host_mapped_mib", text(m.getOrDefault(HOST_MAPPED, BigDecimal.ZERO)));
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
        if (e.budget() != null && e.budget().maxConcurrency() != null) {
            out.put("max_concurrency", Integer.toString(e.budget().maxConcurrency()));
        }
        return out;
    }

    /** A rounded figure as a cell: a decimal in plain notation (no exponent), else its string. */
    public static String text(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }

    /** The rounding of the method that made the estimate (fixed decimals for a method not registered in {@link Methods}). */
    private static SeedRounding rounding(Estimate e) {
        return Methods.all().stream().filter(m -> m.id().equals(e.method())).findFirst().map(Method::rounding)
                .orElse(SeedRounding.DECIMALS);
    }
}
