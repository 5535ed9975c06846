package gpupoor.validate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.Limits;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Mode;
import gpupoor.calc.Names;
import gpupoor.args.ScenarioArgs;
import gpupoor.calc.NumberText;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenario a measurement describes, built from the row's normalized columns, with the measured
 * value and the notes on how the row was read. Any {@link gpupoor.calc.Method} can then estimate it
 * ({@link Validator} does). The mapping:
 * <ul>
 * <li>{@code model_id} and {@code hardware_id} are looked up in the catalog; a blank one means the
 *     source's model or device is not in it (unsupported). The device is required by speed, training
 *     time and fits metrics; memory metrics use it when given.</li>
 * <li>{@code framework_id}: the runtimes the methods know ({@code hf}, {@code vllm}, {@code llama.cpp},
 *     and for fine-tuning {@code litgpt}, {@code torchtune}, {@code unsloth}) as themselves; an
 *     inference row of a runtime modelled for fine-tuning only, and the others ({@code exllama},
 *     {@code mlc}, ...), are unsupported.</li>
 * <li>{@code quant_id}: {@code fp16}/{@code bf16} = unquantized, {@code nf4} = bitsandbytes 4-bit,
 *     {@code gptq-4bit}, {@code gguf-*} as themselves; a QLoRA row's NF4 base is implied by the
 *     method (quant none, as the command line takes it).</li>
 * <li>{@code settings}: the row's setup as command-line options, appended as given (a row of an Apple
 *     chip's {@code cpu} backend runs with {@code --gpu-layers 0}).</li>
 * <li>{@code n_devices} devices of one kind; llama.cpp splits layers across them (its default).
 *     A blank count on a {@code hybrid} row (GPU + CPU offload) is unsupported.</li>
 * <li>Inference lengths: {@code prompt_len} (0 counts as 1) and {@code gen_len}; a missing one is
 *     {@code context_len} minus the other; none stated at all (all three blank) for a llama.cpp speed:
 *     llama-bench's defaults, pp512 and tg128 (noted). When prompt + generated tokens exceed
 *     {@code context_len} the run shifted its context, so the generated tokens are capped to fit it.
 *     Prompt-speed metrics generate 1 token: the prefill ends with the first token.</li>
 * <li>Training: sequence length {@code context_len} ({@code <=N} reads as its maximum N), else
 *     prompt + generated tokens; micro-batch {@code batch}. A {@code train_max_context} row needs
 *     no length: its workload has a 1-token sequence that the search replaces.</li>
 * <li>{@code settings} (optional): the run's setup as {@code estimate} options (e.g.
 *     {@code --grad-checkpointing --optimizer adam-8bit --lora-rank 32}), split as a shell splits
 *     words, parsed by the command line's own parser and applied on top of the columns (an option
 *     given in both takes the settings' value). An option the parser does not know makes the row
 *     invalid, naming it.</li>
 * </ul>
 *
 * @param measurement the row
 * @param metric      its metric
 * @param measured    its {@code value_norm}, in {@link Metric#unit()}
 * @param scenario    the scenario it describes
 * @param iterations  micro-batch iterations of the whole run ({@code train_runtime_total} only, else null)
 * @param notes       how non-obvious values were read, one short line each
 */
public record RowScenario(Measurement measurement, Metric metric, double measured, Scenario scenario,
                          Double iterations, List<String> notes) {

    /** The framework ids a measurements file may use (see {@code catalog/measured.md}). */
    public static final List<String> FRAMEWORK_IDS = List.of("hf", "vllm", "llama.cpp", "exllama", "exllamav2",
            "mlc", "tensorrt-llm", "litgpt", "torchtune", "unsloth", "other");

    /** Quantization ids of the file's vocabulary that no method models. */
    private static final Pattern UNMODELLED_QUANT = Pattern.compile("(?i)(exl2-.*|mlc-.*|gguf-.*)");

    private static final Pattern INTEGER = Pattern.compile("\\d+");
    private static final Pattern SIGNED = Pattern.compile("[+-]?\\d+");
    private static final Pattern AT_MOST = Pattern.compile("<=\\s*(\\d+)\\b.*");
    /** The separator of the parts of a {@code notes_norm} cell. */
    private static final Pattern BAR = Pattern.compile("\\s*\\|\\s*");

    /** Makes the notes unmodifiable. */
    public RowScenario {
        notes = List.copyOf(notes);
    }

    /**
     * Reads a measurement into a scenario.
     *
     * @throws RowProblem {@link Status#EXCLUDED} for {@code exclude=1} rows (with the
     *                    {@code notes_norm} reason), {@link Status#INVALID} for malformed cells and
     *                    unknown ids, {@link Status#UNSUPPORTED} for what the catalog or the
     *                    harness cannot describe; the message names the row and column
     */
    public static RowScenario of(Measurement m, Catalog catalog) {
        try {
            return new Reader(m).read(catalog);
        } catch (InvalidScenarioException e) {
            // a value the scenario refuses (a length out of range, say): the row's own problem
            throw new RowProblem(Status.INVALID, m.where() + ": " + e.in(ScenarioArgs.STYLE).getMessage());
        }
    }

    /** The per-device memory capacity times the device count, in MiB; 0 when unknown. */
    public double capacityMiB() {
        Hardware d = scenario.device();
        return d == null ? 0 : d.memoryGiB() * 1024 * scenario.deviceCount();
    }

    /** Reads one row; keeps the notes as it goes. */
    private static final class Reader {
        private final Measurement m;
        private final List<String> notes = new ArrayList<>();

        Reader(Measurement m) {
            this.m = m;
        }

        RowScenario read(Catalog catalog) {
            if (m.problem() != null) {
                throw new RowProblem(Status.INVALID, m.where() + ": " + m.problem());
            }
            String exclude = column("exclude");
            if (exclude.equals("1")) {
                throw new RowProblem(Status.EXCLUDED, excludedReason());
            }
            if (!exclude.isEmpty() && !exclude.equals("0")) {
                throw invalid("exclude", "'" + exclude + "' is not 0 or 1");
            }
            Metric metric;
            try {
                metric = Metric.parse(column("metric"));
            } catch (InvalidScenarioException e) {
                throw invalid("metric", e.getMessage());
            }
            double measured = measured(metric);
            String unit = m.text("unit_norm");
            if (!unit.isEmpty() && !unit.equals(metric.unit())) {
                throw invalid("unit_norm", "'" + unit + "', but " + metric.id() + " values are in " + metric.unit());
            }
            TrainMethod method = trainMethod(metric);
            int batch = positiveInt("batch", metric != Metric.MEM_WEIGHTS);
            Hardware device = device(catalog, metric);
            int count = deviceCount();
            ModelSpec model = model(catalog);
            Framework framework = framework(method != null);
            Quant quant = quant(method);
            Workload workload = method == null ? inference(metric, batch, framework) : training(metric, method, batch);
            List<String> args = new ArrayList<>(List.of("--model=" + model.id(), "--framework=" + framework.id(),
                    "--quant=" + quant.id(), "--gpus=" + count, "--prompt=" + workload.promptTokens(),
                    "--gen=" + workload.generateTokens(), "--batch=" + workload.batch()));
            if (device != null) {
                args.add("--device=" + device.id());
            }
            if (method != null) {
                args.add("--mode=training");
                args.add("--method=" + method);
            }
            List<String> settings = settings();
            if (device != null && device.isApple() && m.backend().equals("cpu")
                    && settings.stream().noneMatch(w -> w.startsWith("--gpu-layers"))) {
                args.add("--gpu-layers=0");
                notes.add("cpu backend on " + device.id() + ": run on the SoC's CPU cores (--gpu-layers 0)");
            }
            args.addAll(settings);
            ScenarioArgs parsed;
            try {
                parsed = ScenarioArgs.parse(args, true);
            } catch (InvalidScenarioException e) {
                throw badSettings(settings, e);
            }
            Scenario scenario;
            try {
                scenario = parsed.builder(catalog).build();
            } catch (InvalidScenarioException e) {
                throw new RowProblem(Status.INVALID, m.where() + ": " + e.in(ScenarioArgs.STYLE).getMessage());
            }
            Double iterations = metric == Metric.TRAIN_RUNTIME_TOTAL ? iterations() : null;
            return new RowScenario(m, metric, measured, scenario, iterations, notes);
        }

        // ------------------------------------------------------------- cells

        /** The cell; invalid when the file lacks the column. */
        private String column(String name) {
            String c = m.cell(name);
            if (c == null) {
                throw new RowProblem(Status.INVALID, m.where() + ": column " + name + " is missing from the file");
            }
            return c;
        }

        private RowProblem invalid(String column, String what) {
            return new RowProblem(Status.INVALID, m.where() + ", column " + column + ": " + what);
        }

        private RowProblem unsupported(String column, String what) {
            return new RowProblem(Status.UNSUPPORTED, m.where() + ", column " + column + ": " + what);
        }

        private String excludedReason() {
            for (String part : BAR.split(m.text("notes_norm"))) {
                int at = part.indexOf("EXCLUDED:");
                if (at >= 0) {
                    return part.substring(at + "EXCLUDED:".length()).trim();
                }
            }
            return "exclude=1" + (m.text("notes_norm").isEmpty() ? "" : ": " + m.text("notes_norm"));
        }

        private double measured(Metric metric) {
            String text = column("value_norm");
            if (text.isEmpty()) {
                throw invalid("value_norm", "blank (only exclude=1 rows may leave it blank)");
            }
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw invalid("value_norm", "'" + text + "' is not a number");
            }
            if (metric.isClassification()) {
                if (v != 0 && v != 1) {
                    throw invalid("value_norm", "'" + text + "': " + metric.id() + " is 1 (ran) or 0 (out of memory)");
                }
            } else if (!(v > 0) || Double.isInfinite(v)) {
                throw invalid("value_norm", "'" + text + "' must be a positive number");
            }
            return v;
        }

        /** A positive integer cell; blank is 1 (noted when {@code noteBlank}). */
        private int positiveInt(String name, boolean noteBlank) {
            String text = column(name);
            if (text.isEmpty()) {
                if (noteBlank) {
                    notes.add(name + " not given: 1");
                }
                return 1;
            }
            return count(name, text, Input.BATCH);
        }

        /** A count cell: a positive integer in the range of {@code input} ({@link Limits}). */
        private int count(String name, String text, Input input) {
            if (!INTEGER.matcher(text).matches() || text.length() > 10 || Long.parseLong(text) < 1) {
                throw invalid(name, "'" + text + "' is not a positive integer");
            }
            long v = Long.parseLong(text);
            Limits.Range r = Limits.of(input);
            if (!r.contains(v)) {
                throw invalid(name, "'" + text + "' is out of range: " + input.words() + " must be " + r.words());
            }
            return (int) v;
        }

        private TrainMethod trainMethod(Metric metric) {
            String text = column("train_method");
            TrainMethod method = null;
            if (!text.isEmpty()) {
                try {
                    method = TrainMethod.parse(text);
                } catch (InvalidScenarioException e) {
                    throw invalid("train_method", e.getMessage());
                }
            }
            if (method == null && metric.needsTraining()) {
                throw invalid("train_method", "blank, but " + metric.id() + " needs a fine-tuning method: full, lora or qlora");
            }
            if (method != null && !metric.needsTraining() && metric != Metric.FITS_IN_MEMORY
                    && metric != Metric.MEM_WEIGHTS) {
                throw invalid("train_method", "'" + text + "' given for the inference metric " + metric.id()
                        + " (leave it blank)");
            }
            return method;
        }

        private int deviceCount() {
            String text = column("n_devices");
            if (m.backend().equals("hybrid")) {
                throw unsupported("backend", "a GPU + CPU hybrid run (offload to host memory) is not modelled");
            }
            if (text.isEmpty()) {
                return 1;
            }
            return count("n_devices", text, Input.DEVICES);
        }

        private ModelSpec model(Catalog catalog) {
            String id = column("model_id");
            if (id.isEmpty()) {
                throw unsupported("model_id", "blank: the source's model " + quoted(m.text("model"))
                        + " is not in the catalog");
            }
            try {
                return catalog.model(id);
            } catch (InvalidScenarioException e) {
                throw invalid("model_id", e.getMessage());
            }
        }

        private Hardware device(Catalog catalog, Metric metric) {
            String id = column("hardware_id");
            if (id.isEmpty()) {
                if (metric.needsDevice()) {
                    throw unsupported("hardware_id", "blank: the source's device " + quoted(m.text("hardware"))
                            + " is not in the catalog, and " + metric.id() + " needs one");
                }
                return null;
            }
            Hardware h;
            try {
                h = catalog.hardware(id);
            } catch (InvalidScenarioException e) {
                throw invalid("hardware_id", e.getMessage());
            }
            return h;
        }

        private Framework framework(boolean training) {
            String id = column("framework_id");
            if (id.isEmpty()) {
                throw invalid("framework_id", "blank; accepted: " + String.join(", ", FRAMEWORK_IDS));
            }
            Framework f;
            try {
                f = Framework.parse(id);
            } catch (InvalidScenarioException e) {
                String t = id.toLowerCase(Locale.ROOT);
                if (FRAMEWORK_IDS.contains(t)) {
                    throw unsupported("framework_id", id + " is not modelled; the methods model "
                            + String.join(", ", Framework.ids()));
                }
                throw invalid("framework_id", "unknown framework '" + id + "'; accepted: "
                        + String.join(", ", FRAMEWORK_IDS) + Names.didYouMean(id, FRAMEWORK_IDS));
            }
            if (!training && !f.serves()) {
                throw unsupported("framework_id", f.label() + " is modelled for fine-tuning only; its inference is not");
            }
            return f;
        }

        /**
         * The {@code settings} cell as option words (none when the column is absent or blank); they
         * are parsed with the columns' options ({@link #badSettings} when that fails).
         *
         * @throws RowProblem invalid when a quote is unclosed
         */
        private List<String> settings() {
            String text = m.text("settings");
            if (text.isEmpty()) {
                return List.of();
            }
            try {
                return ScenarioArgs.split(text);
            } catch (InvalidScenarioException e) {
                throw invalidSettings(e);
            }
        }

        /**
         * The problem of settings that did not parse with the columns' options (which always parse):
         * the settings parsed alone, so that the message speaks of their own words (an unknown option).
         */
        private RowProblem badSettings(List<String> settings, InvalidScenarioException withColumns) {
            try {
                ScenarioArgs.parse(settings, true);
            } catch (InvalidScenarioException e) {
                return invalidSettings(e);
            }
            return invalidSettings(withColumns);
        }

        private RowProblem invalidSettings(InvalidScenarioException e) {
            return invalid("settings", e.getMessage() + " (settings are options of estimate; see catalog/measured.md)");
        }

        private Quant quant(TrainMethod method) {
            String id = column("quant_id");
            if (method == TrainMethod.QLORA) {
                return Quant.NONE;
            }
            if (id.isEmpty()) {
                throw unsupported("quant_id", "blank: the source does not state the weight format ("
                        + quoted(m.text("quant")) + ")");
            }
            try {
                return Quant.parse(id);
            } catch (InvalidScenarioException e) {
                if (UNMODELLED_QUANT.matcher(id).matches()) {
                    throw unsupported("quant_id", id + " is not modelled; known: " + String.join(", ", Quant.ids()));
                }
                throw invalid("quant_id", e.getMessage());
            }
        }

        private Double iterations() {
            String text = m.cell("iterations");
            if (text == null || text.isEmpty()) {
                throw unsupported("iterations", "train_runtime_total needs the run's micro-batch iterations "
                        + "(an iterations column)");
            }
            try {
                double v = Double.parseDouble(text);
                if (v > 0 && Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid("iterations", "'" + text + "' is not a positive number");
        }

        // ------------------------------------------------------------- lengths

        /**
         * A length cell: its integer, the N of "&lt;=N ...", or null (blank or not a number: see
         * {@code vague}); invalid when negative or beyond {@link Limits#MAX_TOKENS}.
         */
        private Integer length(String name, List<String> vague) {
            String text = column(name);
            if (text.isEmpty()) {
                return null;
            }
            if (SIGNED.matcher(text).matches()) {
                return tokens(name, text, text);
            }
            Matcher at = AT_MOST.matcher(text);
            if (at.matches()) {
                notes.add(name + " " + at.group(1) + ", the stated maximum of " + quoted(text));
                return tokens(name, at.group(1), text);
            }
            vague.add(name + " " + quoted(text));
            return null;
        }

        private Workload inference(Metric metric, int batch, Framework framework) {
            List<String> vague = new ArrayList<>();
            Integer p = length("prompt_len", vague);
            Integer g = length("gen_len", vague);
            Integer c = length("context_len", vague);
            if (metric == Metric.MEM_WEIGHTS) {
                int prompt = p == null ? 1 : Math.max(1, p);
                return new Workload(Mode.INFERENCE, prompt, g == null ? 1 : g, batch, null,
                        null, false, 8);
            }
            if (p == null && g == null && c == null) {
                boolean llama = framework == Framework.LLAMA_CPP || framework == Framework.OLLAMA;
                if (!vague.isEmpty() || !llama || !metric.needsDevice()) {
                    throw unsupported("prompt_len", "sequence lengths not stated as numbers"
                            + (vague.isEmpty() ? " (prompt_len, gen_len and context_len blank)" : ": " + String.join(", ", vague)));
                }
                // a llama.cpp speed that states no lengths: llama-bench's defaults, pp512 and tg128
                p = metric == Metric.PROMPT_TOK_S || metric == Metric.TTFT_MS ? 512 : 0;
                g = 128;
                notes.add("lengths not stated: assumed llama-bench's pp512 / tg128");
            }
            boolean prefill = metric == Metric.PROMPT_TOK_S || metric == Metric.TTFT_MS;
            int prompt;
            int gen;
            if (prefill) {
                if (p == null && c == null) {
                    throw unsupported("prompt_len", "the prompt length is not stated as a number");
                }
                prompt = Math.max(1, p != null ? p : c);
                gen = 1;
            } else if (p == null && g == null) {
                prompt = Math.max(1, c - 1);
                gen = c - prompt;
            } else if (p == null) {
                gen = g;
                prompt = Math.max(1, c == null ? 1 : c - g);
            } else if (g == null) {
                prompt = Math.max(1, p);
                gen = c == null ? 0 : Math.max(0, c - p);
            } else {
                prompt = Math.max(1, p);
                gen = g;
                if (c != null && (long) p + g > c) {
                    gen = Math.max(1, c - p);
                    notes.add("context shift: " + p + " + " + g + " tokens in a " + c + "-token context, so "
                            + gen + " generated tokens");
                }
            }
            return new Workload(Mode.INFERENCE, prompt, gen, batch, null, null, false, 8);
        }

        private Workload training(Metric metric, TrainMethod method, int batch) {
            if (metric == Metric.TRAIN_MAX_CONTEXT) {
                return Workload.training(method, 1).withBatch(batch);
            }
            List<String> vague = new ArrayList<>();
            Integer c = length("context_len", vague);
            Integer p = length("prompt_len", vague);
            Integer g = length("gen_len", vague);
            int sequence;
            if (c != null) {
                sequence = c;
            } else if (p != null && (long) p + (g == null ? 0 : g) > 0) {
                sequence = sum("prompt_len", (long) p + (g == null ? 0 : g));
            } else {
                throw unsupported("context_len", "the training sequence length is not stated as a number"
                        + (vague.isEmpty() ? " (context_len blank)" : ": " + String.join(", ", vague)));
            }
            return Workload.training(method, sequence).withBatch(batch);
        }

        private static String quoted(String s) {
            return "'" + s + "'";
        }

        /** A token count: 0 to {@link Limits#MAX_TOKENS}. */
        private int tokens(String name, String digits, String text) {
            String d = digits.startsWith("+") ? digits.substring(1) : digits;
            if (d.startsWith("-")) {
                throw invalid(name, quoted(text) + " is negative: a length is 0 or more tokens");
            }
            int zeros = 0;
            while (zeros < d.length() - 1 && d.charAt(zeros) == '0') {
                zeros++;
            }
            String significant = d.substring(zeros);
            if (significant.length() > 10 || Long.parseLong(significant) > Limits.MAX_TOKENS) {
                throw invalid(name, quoted(text) + " is out of range: a length is at most "
                        + NumberText.grouped(Limits.MAX_TOKENS) + " tokens");
            }
            return Integer.parseInt(significant);
        }

        /** A sum of token counts, refused beyond {@link Limits#MAX_TOKENS}. */
        private int sum(String what, long tokens) {
            if (tokens > Limits.MAX_TOKENS) {
                throw invalid(what, tokens + " tokens is out of range: a length is at most "
                        + NumberText.grouped(Limits.MAX_TOKENS) + " tokens");
            }
            return (int) tokens;
        }
    }
}
