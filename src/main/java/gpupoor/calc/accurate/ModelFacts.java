package gpupoor.calc.accurate;

import gpupoor.calc.Quant;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.ServingOptions;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the default method derives from a model alone, once per model object rather than once per
 * estimate: its {@link Architecture}, its parameter totals and the {@link WeightBytes} of each storage format (computed
 * on first use). A sweep estimates many scenarios of the same few models, so these are looked up
 * in an {@link IdentityCache}.
 */
final class ModelFacts {

    /** Facts of the models used last. */
    private static final IdentityCache<ModelSpec, ModelFacts> CACHE = new IdentityCache<>(128, ModelFacts::new);

    /** Bits per weight of EXL2 weights when none are given. */
    static final double DEFAULT_EXL2_BITS = 4.0;

    private final ModelSpec model;
    private final Architecture architecture;
    private final long totalParams;
    private final double activeParams;
    /** Weight bytes by {@code 2 × quant.ordinal() + (double quantization ? 1 : 0)}. */
    private final AtomicReferenceArray<WeightBytes> weights = new AtomicReferenceArray<>(2 * Quant.values().length);

    private ModelFacts(ModelSpec model) {
        this.model = model;
        this.architecture = Architecture.of(model);
        this.totalParams = architecture.totalParams();
        this.activeParams = architecture.activeParams();
    }

    /**
     * The facts of a model.
     *
     * @throws InvalidScenarioException when its config lacks what {@link Architecture#of} needs
     */
    public static ModelFacts of(ModelSpec model) {
        return CACHE.get(model);
    }

    /** The model's architecture ({@link Architecture#of}). */
    public Architecture architecture() {
        return architecture;
    }

    /** The architecture's {@link Architecture#totalParams()}. */
    public long totalParams() {
        return totalParams;
    }

    /** The architecture's {@link Architecture#activeParams()}. */
    public double activeParams() {
        return activeParams;
    }

    /** Weights of a format with a parameter (EXL2's bits, a checkpoint's 16-bit modules), by format and parameter. */
    private final java.util.concurrent.ConcurrentHashMap<String, WeightBytes> parametrized = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The model's weights stored as {@code quant} ({@link WeightBytes#of}), EXL2 ones at {@code exl2Bits}
     * bits per weight, a bitsandbytes checkpoint keeping the modules {@code v} names in 16 bits.
     */
    public WeightBytes weights(Quant quant, boolean qlora, double exl2Bits, ServingOptions v) {
        boolean keeps = quant.isBnb() && v != null && v.unquantizedModules() != null;
        if (quant != Quant.EXL2 && !keeps) {
            return weights(quant, qlora);
        }
        String key = quant + "|" + qlora + "|" + exl2Bits + "|" + (keeps ? v.unquantizedModules() : "");
        return parametrized.computeIfAbsent(key, k -> WeightBytes.of(architecture, model, quant, qlora, exl2Bits,
                keeps ? v : null));
    }

    /** The model's weights stored as {@code quant} ({@link WeightBytes#of}; EXL2 at 4.0 bits per weight). */
    public WeightBytes weights(Quant quant, boolean qlora) {
        int i = 2 * quant.ordinal() + (qlora ? 1 : 0);
        WeightBytes wb = weights.get(i);
        if (wb == null) {
            wb = WeightBytes.of(architecture, model, quant, qlora, DEFAULT_EXL2_BITS, null);
            weights.set(i, wb);
        }
        return wb;
    }
}
