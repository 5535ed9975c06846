package gpupoor.calc.original;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;

/**
 * The five architecture numbers the original calculator reads from a config (or guesses from a
 * size), and its parameter count. Reference §3.
 *
 * @param vocab        V
 * @param hidden       h
 * @param heads        a
 * @param intermediate I
 * @param layers       L
 * @param params       P used for weights, gradients and optimizer memory: the §3.1 formula, or
 *                     size × 1e9 on the size-only path
 */
record GpuPoorShape(double vocab, double hidden, double heads, double intermediate, double layers, double params) {

    private static final double BILLION = 1e9;

    /** Reads a model the way the original does: first present key wins, null or absent gives the default. */
    static GpuPoorShape of(ModelSpec model) {
        if (model.isSizeOnly()) {
            return guess(model.sizeBillions());
        }
        if (model.gpuPoorConfig().isEmpty()) {
            throw new InvalidScenarioException("'" + model.id() + "' has an empty config in the original's table (it is "
                    + "a GGML/GGUF or otherwise empty repository); use the base model's id with "
                    + Input.FRAMEWORK.ref("llama.cpp") + " and a gguf quant, or give " + Input.SIZE.ref());
        }
        double v = key(model, 32000, "vocab_size");
        double h = key(model, 768, "hidden_size", "d_model", "n_embd");
        double a = key(model, 12, "num_attention_heads", "num_heads", "n_head");
        double i = key(model, h * 4, "intermediate_size", "n_inner", "d_ff");
        double l = key(model, 12, "num_layers", "num_hidden_layers", "n_layer");
        return new GpuPoorShape(v, h, a, i, l, formulaParams(v, h, i, l));
    }

    /** The §3.1 parameter count: 2Vh + 4Lh² + 3LhI, in the original's order of operations. */
    double formulaParams() {
        return formulaParams(vocab, hidden, intermediate, layers);
    }

    private static double formulaParams(double v, double h, double i, double l) {
        return v * h * 2 + l * 4 * h * h + l * 3 * i * h;
    }

    private static double key(ModelSpec model, double fallback, String... keys) {
        for (String k : keys) {
            if (model.gpuPoorConfig().containsKey(k)) {
                Object value = model.gpuPoorConfig().get(k);
                if (value == null) {
                    return fallback;
                }
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                throw new InvalidScenarioException("config key '" + k + "' of '" + model.id()
                        + "' must be a number, got " + value);
            }
        }
        return fallback;
    }

    /** §3.3: heads and layers from a table, h from the positive root, I = 4h, P = S·1e9. */
    private static GpuPoorShape guess(double s) {
        double vocab = 32000;
        double heads;
        double layers;
        if (s < 5) {
            heads = 32;
            layers = 24;
        } else if (s < 10) {
            heads = 32;
            layers = 32;
        } else if (s < 24) {
            heads = 40;
            layers = 40;
        } else if (s < 55) {
            heads = 64;
            layers = 48;
        } else {
            heads = 64;
            layers = 80;
        }
        double a = layers * 4 + 3 * 4 * layers;
        double b = 2 * vocab;
        double c = -1 * s * BILLION;
        double h = Math.ceil((-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a));
        return new GpuPoorShape(vocab, h, heads, 4 * h, layers, s * BILLION);
    }
}
