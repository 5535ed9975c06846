package gpupoor.dsl;

import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;

import gpupoor.source.HubSettings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * calculator's table, a size ({@code "7B"}), any Hugging Face Hub id ({@code "Qwen/Qwen3-8B"},
     * {@code "org/name@revision"}: its config.json and safetensors headers, then cached), a
     * {@code .gguf} file, {@code "hf://org/name/file.gguf"}, an {@code https://} URL of a GGUF file, a
     * {@code config.json} or a model directory. A model read with its weight headers has each
     * tensor's exact bytes; a GGUF file runs on llama.cpp with its own types unless told otherwise.
     */
    public static Setup model(String ref) {
        return Setup.of(Catalog.get().model(ref));
    }

    /**
     * A setup of a model file: a {@code .gguf} (all parts of a split model are read), a
     * {@code config.json} or a model directory: {@code model(Path.of("data/model-Q4_K_M.gguf"))}.
     */
    public static Setup model(Path file) {
        if (file == null) {
            throw new InvalidScenarioException("model(Path) needs a file: a .gguf, a config.json or a model directory");
        }
        return model(file.toString());
    }

    /**
     * Reads Hugging Face Hub models as if these environment variables were set (on top of the
     * process's own): {@code useHub("HF_HUB_OFFLINE=1", "GPUPOOR_CACHE=data/hub-cache")} reads only a
     * cache; {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HOME} work as in huggingface_hub.
     * Returns the settings in use (the token is never shown).
     */
    public static HubSettings useHub(String... variables) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String v : variables == null ? new String[0] : variables) {
            int eq = v == null ? -1 : v.indexOf('=');
            if (eq <= 0) {
                throw new InvalidScenarioException("useHub(..) takes NAME=value pairs such as \"HF_HUB_OFFLINE=1\", got '" + v + "'");
            }
            env.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
        }
        HubSettings s = HubSettings.fromEnvironment(env, Path.of(System.getProperty("user.home")));
        Catalog.useHub(s);
        return s;
    }

    /**
     * One GPU by catalog id ({@code "rtx-4090"}, {@code "a100-sxm4-80gb"}), the original's key
     * ({@code "A100-80GB"}), its name ({@code "RTX 4090"}), or from its figures, each with its unit:
     * {@code gpu("memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS")} (optional {@code fp8=..TFLOPS},
     * {@code int8=..TOPS}, {@code fp32=..TFLOPS}, {@code memory-type=HBM3}, {@code name=..}).
     */
    public static Device gpu(String id) {
        return Device.of(id, Hardware.Kind.GPU, "gpu");
    }

    /** {@code n} identical GPUs used together: {@code gpus(4, "a100-sxm4-80gb")}. */
    public static Device gpus(int n, String id) {
        return gpu(id).times(n);
    }

    /**
     * A CPU socket by catalog id ({@code "ryzen-9-7950x"}) or the original's key ({@code "7950x"}); add
     * {@code .ddr4()} or {@code .ddr5()}. Or from its figures: {@code cpu("bandwidth=90GB/s,fp32=2TFLOPS")}.
     */
    public static Device cpu(String id) {
        return Device.of(id, Hardware.Kind.CPU, "cpu");
    }

    /**
     * An Apple Silicon chip by catalog id: {@code apple("m3-max-40c-64gb")}; or from its figures:
     * {@code apple("memory=64GiB,bandwidth=546GB/s,fp16=34TFLOPS")}.
     */
    public static Device apple(String id) {
        return Device.of(id, Hardware.Kind.APPLE, "apple");
    }

    /** One device of any kind by catalog id or the original's key: {@code device("rtx-4090")}, {@code device("7950x")}. */
    public static Device device(String id) {
        return Device.of(id);
    }

    /**
     * The catalog's models as a table (id, source, architecture, parameters, blocks, KV cache per token,
     * vision tower): {@code models()}.
     */
    public static ResultTable models() {
        return Listing.models(Catalog.get(), null);
    }

    /**
     * The models whose id has every word of {@code filter}, the original calculator's table included:
     * {@code models("qwen3")}, {@code models("llama 70b")}.
     */
    public static ResultTable models(String filter) {
        return Listing.models(Catalog.get(), filter);
    }

    /** The catalog's devices as a table (id, name, kind, memory, bandwidth, fp16/fp8/fp32 rates): {@code devices()}. */
    public static ResultTable devices() {
        return Listing.devices(Catalog.get(), null);
    }

    /** The devices whose id, name or vendor has every word of {@code filter}: {@code devices("4090")}, {@code devices("apple m4")}. */
    public static ResultTable devices(String filter) {
        return Listing.devices(Catalog.get(), filter);
    }

    /** The quantization ids as a table (id, family, nominal bits, quality rank): {@code quants()}. */
    public static ResultTable quants() {
        return Listing.quants(null);
    }

    /** The quantization ids whose id or family has every word of {@code filter}: {@code quants("gguf")}, {@code quants("Q4")}. */
    public static ResultTable quants(String filter) {
        return Listing.quants(filter);
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
     * Controls for a setup next to its live memory chart: context, batch, quantization, device and
     * count, runtime and its knobs, fine-tuning method and rank; the verdict, tokens/s and the limits
     * follow every change. Without a widget front end it shows as text with a note. Example:
     * {@code explore(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M))}.
     */
    public static Explore explore(Setup setup) {
        return new Explore(setup);
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
