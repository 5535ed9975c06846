package gpupoor.catalog;

import gpupoor.calc.Ddr;
import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Mode;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A scenario as text, the way the command line and CSV files give it: every field may be blank
 * ("not given"). {@link #resolve(Catalog)} checks each value, looks the names up and fills the
 * defaults: inference, prompt 512, generate 512 (1 in training), batch 1, one device, Adam, fp16
 * weights; the framework is llama.cpp for a GGUF quant or a CPU, else hf.
 *
 * @param model     catalog id, original-table id or config.json path
 * @param size      size in billions (used when no model is given)
 * @param mode      inference or training
 * @param framework hf, vllm or llama.cpp
 * @param quant     quantization id
 * @param method    full, lora or qlora
 * @param optimizer adam, adamw, adam-8bit, sgd, sgd-momentum
 * @param gradCkpt  gradient checkpointing: true/false, yes/no, 1/0
 * @param prompt    prompt tokens
 * @param gen       tokens to generate
 * @param batch     batch size
 * @param device    GPU, Apple or CPU id
 * @param ddr       ddr4 or ddr5 (CPUs)
 * @param gpus      number of GPUs
 * @param loraRank  LoRA rank
 */
public record ScenarioRequest(String model, String size, String mode, String framework, String quant, String method,
                              String optimizer, String gradCkpt, String prompt, String gen, String batch,
                              String device, String ddr, String gpus, String loraRank) {

    /** A plain decimal number: what JavaScript's {@code Number(text)} reads as the same value (no "7d" or "0x1A"). */
    private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The CSV column names, in order (the field names with {@code grad_ckpt}). */
    public static final java.util.List<String> COLUMNS = java.util.List.of("model", "size", "mode", "framework",
            "quant", "method", "optimizer", "grad_ckpt", "prompt", "gen", "batch", "device", "ddr", "gpus");

    /** A request from a CSV row (missing columns are "not given"; {@code lora_rank} is read when present). */
    public static ScenarioRequest fromRow(Map<String, String> row) {
        return new ScenarioRequest(row.get("model"), row.get("size"), row.get("mode"), row.get("framework"),
                row.get("quant"), row.get("method"), row.get("optimizer"), row.get("grad_ckpt"), row.get("prompt"),
                row.get("gen"), row.get("batch"), row.get("device"), row.get("ddr"), row.get("gpus"),
                row.get("lora_rank"));
    }

    /**
     * Builds the scenario.
     *
     * @throws InvalidScenarioException saying which value is wrong and what is accepted
     */
    public Scenario resolve(Catalog catalog) {
        ModelSpec spec;
        if (given(model)) {
            spec = catalog.model(model);
        } else if (given(size)) {
            spec = ModelSpec.ofSize(positiveNumber("size", size));
        } else {
            throw new InvalidScenarioException("a model is needed: give a model id or config.json path, or a size in billions");
        }
        Mode m = given(mode) ? Mode.parse(mode) : Mode.INFERENCE;
        Quant q = given(quant) ? Quant.parse(quant) : Quant.NONE;
        Hardware d = given(device) ? catalog.hardware(device) : null;
        Framework f;
        if (given(framework)) {
            f = Framework.parse(framework);
        } else {
            f = q.isGguf() || (d != null && !d.isGpu() && m == Mode.INFERENCE) ? Framework.LLAMA_CPP : Framework.HF;
        }
        TrainMethod tm = given(method) ? TrainMethod.parse(method) : (m == Mode.TRAINING ? TrainMethod.FULL : null);
        Optimizer opt = given(optimizer) ? Optimizer.parse(optimizer) : Optimizer.ADAM;
        boolean gc = given(gradCkpt) && bool("grad_ckpt", gradCkpt);
        int p = given(prompt) ? positiveInt("prompt", prompt) : 512;
        int g = given(gen) ? nonNegativeInt("gen", gen) : (m == Mode.TRAINING ? 1 : 512);
        int b = given(batch) ? positiveInt("batch", batch) : 1;
        int n = given(gpus) ? positiveInt("gpus", gpus) : 1;
        int rank = given(loraRank) ? positiveInt("lora rank", loraRank) : 8;
        Ddr dd = given(ddr) ? Ddr.parse(ddr) : null;
        if (d != null && d.isGpu() && dd != null) {
            throw new InvalidScenarioException("ddr applies to CPUs; device " + d.id() + " is a GPU");
        }
        Workload w = new Workload(m, p, g, b, tm, opt, gc, rank);
        return new Scenario(spec, q, f, w, d, n, dd, Options.DEFAULTS);
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }

    static int positiveInt(String what, String text) {
        int v = integer(what, text);
        if (v < 1) {
            throw new InvalidScenarioException(what + " must be a positive integer, got '" + text.trim() + "'");
        }
        return v;
    }

    static int nonNegativeInt(String what, String text) {
        int v = integer(what, text);
        if (v < 0) {
            throw new InvalidScenarioException(what + " must be 0 or a positive integer, got '" + text.trim() + "'");
        }
        return v;
    }

    private static int integer(String what, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidScenarioException(what + " must be a positive integer, got '" + text.trim() + "'");
        }
    }

    static double positiveNumber(String what, String text) {
        String t = text.trim();
        if (DECIMAL.matcher(t).matches()) {
            double v = Double.parseDouble(t);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        }
        throw new InvalidScenarioException(what + " must be a positive number (e.g. 7 or 0.5), got '" + text.trim() + "'");
    }

    private static boolean bool(String what, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "on" -> true;
            case "false", "no", "n", "0", "off" -> false;
            default -> throw new InvalidScenarioException(what + " must be yes or no, got '" + text.trim() + "'");
        };
    }
}
