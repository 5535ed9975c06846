package gpupoor.dsl;

import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;

import java.util.List;

/**
 * The DSL's entry points, statically imported by every notebook and jshell session
 * ({@code dsl/prelude.jsh}) and usable from Java with {@code import static gpupoor.dsl.Dsl.*}:
 *
 * <pre>{@code
 * var s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).framework(LLAMA_CPP).quant(Q4_K_M)
 *           .prompt(512).generate(512).batch(1);
 * s.estimate();
 * sweep(s).context(512, 131072).quants(FP16, Q8_0, Q4_K_M).plot(MEMORY);
 * fits(s).maxContext();
 * compare(s, GPU_POOR, DEFAULT);
 * }</pre>
 *
 * Names are checked against the catalog, with did-you-mean suggestions when one is unknown.
 */
public final class Dsl {
    private Dsl() {
    }

    /** 16-bit weights (fp16 or bf16): the unquantized default, {@code Quant.NONE}. */
    public static final Quant FP16 = Quant.NONE;

    /** Same as {@link #FP16}: bf16 weights take the same memory and time. */
    public static final Quant BF16 = Quant.NONE;

    /** The original gpu_poor calculator's numbers, quirks included. */
    public static final Method GPU_POOR = Methods.GPU_POOR;

    /** Our method, accurate on modern models (the default). */
    public static final Method DEFAULT = Methods.DEFAULT;

    /**
     * A setup of a model: a catalog id ({@code "meta-llama/Llama-3.1-8B"}), an id of the original
     * calculator's table, a path to a {@code config.json}, or a size ({@code "7B"}).
     */
    public static Setup model(String ref) {
        return Setup.of(Catalog.get().model(ref));
    }

    /** One GPU by catalog id ({@code "rtx-4090"}, {@code "a100-sxm4-80gb"}) or the original's key ({@code "A100-80GB"}). */
    public static Device gpu(String id) {
        return Device.of(id, Hardware.Kind.GPU, "gpu");
    }

    /** {@code n} identical GPUs used together: {@code gpus(4, "a100-sxm4-80gb")}. */
    public static Device gpus(int n, String id) {
        return gpu(id).times(n);
    }

    /** A CPU socket by catalog id ({@code "ryzen-9-7950x"}) or the original's key ({@code "7950x"}); add {@code .ddr4()} or {@code .ddr5()}. */
    public static Device cpu(String id) {
        return Device.of(id, Hardware.Kind.CPU, "cpu");
    }

    /** An Apple Silicon chip by catalog id: {@code apple("m3-max-40c-64gb")}. */
    public static Device apple(String id) {
        return Device.of(id, Hardware.Kind.APPLE, "apple");
    }

    /** One device of any kind by catalog id or the original's key: {@code device("rtx-4090")}, {@code device("7950x")}. */
    public static Device device(String id) {
        return Device.of(id);
    }

    /** Sweeps a setup over ranges of its parameters: {@code sweep(s).context(512, 131072).plot(MEMORY)}. */
    public static Sweep sweep(Setup setup) {
        return new Sweep(setup);
    }

    /** The limits of a setup on its device: {@code fits(s).maxContext()}, {@code .maxBatch()}, {@code .bestQuant()}, {@code .gpusNeeded()}, {@code .maxSequence()}. */
    public static Fits fits(Setup setup) {
        if (setup == null) {
            throw new InvalidScenarioException("fits(...) needs a setup, e.g. fits(model(\"7B\").on(gpu(\"rtx-4090\")))");
        }
        return new Fits(setup);
    }

    /**
     * A recipe ladder starting from a fine-tuning setup: add techniques one after another with
     * {@code .then(label, change)}; each step shows its memory saving, its time cost and the longest
     * sequence that fits. Example:
     * {@code ladder(s.finetune(FULL)).then("checkpointing", x -> x.gradientCheckpointing()).then("8-bit Adam", x -> x.optimizer(ADAM_8BIT))}.
     */
    public static Ladder ladder(Setup base) {
        if (base == null) {
            throw new InvalidScenarioException("ladder(...) needs a fine-tuning setup, e.g. ladder(model(\"7B\").on(gpu(\"rtx-4090\")).finetune(LORA))");
        }
        return Ladder.of(base);
    }

    /** A setup estimated by each method side by side; with no methods, by every method. */
    public static Comparison compare(Setup setup, Method... methods) {
        if (setup == null) {
            throw new InvalidScenarioException("compare(...) needs a setup, e.g. compare(model(\"7B\"), GPU_POOR, DEFAULT)");
        }
        return new Comparison(setup, methods == null || methods.length == 0 ? Methods.all() : List.of(methods));
    }
}
