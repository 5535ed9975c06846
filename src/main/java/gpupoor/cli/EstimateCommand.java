package gpupoor.cli;

import gpupoor.calc.Names;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gpupoor.calc.Budget;
import gpupoor.calc.Estimate;
import gpupoor.calc.Input;
import gpupoor.calc.Method;
import gpupoor.calc.Scenario;
import gpupoor.calc.SeedFormat;
import gpupoor.calc.SeedRounding;
import gpupoor.catalog.Catalog;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.Uncertainty;
import gpupoor.args.ScenarioArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code estimate}: memory breakdown, speed and training time of one scenario, or of every row of a CSV file. */
@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate memory, tokens/s and fine-tuning time of one scenario, or of every row of a CSV file.",
                "One scenario prints JSON on stdout, with the range each figure's measured value likely lies in",
                "(\"uncertainty\": from the errors on published measurements of its class, see catalog/calibration.md);",
                "--csv FILE prints one CSV row per input row, each bad row with its error.",
                "Memory is in MiB. Bad input exits with code 2 and a message that names the option."})
public final class EstimateCommand implements Callable<Integer> {

    /** JSON output: insertion order kept, BigDecimals as plain decimals. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ScenarioArgs scenario;
    @Option(names = "--explain", description = "Add the memory rule's verdict (budget), notes and the assumptions behind the numbers to the output.")
    boolean explain;
    @Option(names = "--csv", paramLabel = "FILE", description = {"Estimate every row of FILE (a header row naming columns case,model,size,mode,framework,quant,method,optimizer,grad_ckpt,prompt,gen,batch,device,ddr,gpus, and optionally lora_rank and the runtime knobs). Each row is answered; a bad row gets its error (row number, column, value) in the error column, and the exit code is 2 when any row failed."})
    String csv;

    @Override
    public Integer call() throws Exception {
        Method m = scenario.calcMethod();
        PrintWriter out = spec.commandLine().getOut();
        if (csv != null) {
            PrintWriter err = spec.commandLine().getErr();
            CsvEstimates.Outcome outcome = new CsvEstimates(m, scenario.catalog(Catalog.get())).run(Main.path("--csv", csv), out, err);
            out.flush();
            if (outcome.failed() > 0) {
                err.println("error: " + outcome.failed() + " of " + outcome.rows() + " rows could not be estimated ("
                        + (outcome.failed() == 1 ? "row " : "rows ")
                        + outcome.firstFailed().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                        + (outcome.failed() > outcome.firstFailed().size() ? ", …" : "") + "); each says why in its error column");
                err.flush();
                return Main.BAD_INPUT;
            }
            return 0;
        }
        Scenario s = scenario.builder(Catalog.get()).build();
        Estimate e = m.estimate(s);
        Map<String, Object> json = new LinkedHashMap<>(SeedFormat.of(e));
        if (e.gpusNeeded() != null) {
            json.put("GPUs needed", e.gpusNeeded());
        }
        if (e.budget() != null && e.budget().maxConcurrency() != null) {
            json.put("Max concurrency", e.budget().maxConcurrency());
        }
        json.put("uncertainty", uncertainty(Uncertainty.of(s, e), e.budget(), m.rounding()));
        if (explain) {
            if (e.budget() != null) {
                json.put("budget", budget(e.budget()));
            }
            json.put("notes", inOptions(e.notes()));
            json.put("assumptions", inOptions(e.assumptions()));
        }
        for (String note : inOptions(e.notes())) {
            spec.commandLine().getErr().println("note: " + Names.printable(note));
        }
        out.println(JSON.writeValueAsString(json));
        out.flush();
        return 0;
    }

    /**
     * The {@code uncertainty} object: for each figure with a band, under its part and seed key, the
     * range its measured value likely lies in ({@code low}, {@code high}, rounded as the figure), the
     * class the band belongs to, the measured rows and sources behind it, and a note when the band
     * is a parent class's or the wide default; then, with a memory budget, the fit verdict.
     */
    static Map<String, Object> uncertainty(Uncertainty u, Budget budget, SeedRounding rounding) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Uncertainty.Range r : u.ranges()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("low", round(rounding, r.figure(), r.low()));
            m.put("high", round(rounding, r.figure(), r.high()));
            ErrorBand b = r.band();
            m.put("class", (b.isDefault() ? b.cls() : b.from()).label());
            m.put("rows", b.bandRows());
            m.put("sources", b.bandSources());
            if (!b.note().isEmpty()) {
                m.put("note", b.note());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> part = (Map<String, Object>) out.computeIfAbsent(r.figure().part(), k -> new LinkedHashMap<>());
            part.put(r.figure().key(), m);
        }
        if (budget != null && budget.fits() != null) {
            out.put("fits", u.verdict(budget.fits(), budget.requiredMiB(), budget.usableMiB()).text());
        }
        return out;
    }

    /** A range end rounded as its figure is in the seed's output. */
    static Object round(SeedRounding rounding, Uncertainty.Figure f, double v) {
        return switch (f) {
            case TOTAL, MODEL_SIZE -> rounding.mib(v);
            case TOKENS_PER_SECOND -> rounding.tokensPerSecond(v);
            case MS_PER_TOKEN, MS_PER_ITERATION -> rounding.ms(v);
            case PROMPT_SECONDS -> rounding.promptSeconds(v);
        };
    }

    /** Engine lines with their input references written as command-line options. */
    static List<String> inOptions(List<String> lines) {
        return lines.stream().map(l -> Input.render(l, ScenarioArgs.STYLE)).toList();
    }

    /** The budget as JSON fields (MiB rounded to 1 decimal). */
    static Map<String, Object> budget(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", b.rule());
        m.put("fits", b.fits());
        m.put("usable MiB per device", Double.isNaN(b.usableMiB()) ? null
                : new java.math.BigDecimal(b.usableMiB()).setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("needed MiB on the most loaded device", new java.math.BigDecimal(b.requiredMiB())
                .setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("CUDA context MiB per device", new java.math.BigDecimal(b.runtimeContextMiB())
                .setScale(1, java.math.RoundingMode.HALF_UP));
        m.put("max concurrent sequences", b.maxConcurrency());
        m.put("max context tokens", b.maxContextTokens());
        if (b.pool() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("budget MiB", round(b.pool().budgetMiB()));
            p.put("weights MiB", round(b.pool().weightsMiB()));
            p.put("activation peak MiB", round(b.pool().activationPeakMiB()));
            p.put("non-torch MiB", round(b.pool().nonTorchMiB()));
            p.put("CUDA graphs MiB (outside the budget)", round(b.pool().cudaGraphsMiB()));
            p.put("KV cache MiB", round(b.pool().kvCacheMiB()));
            p.put("KV cache tokens", b.pool().kvCacheTokens());
            p.put("max_num_seqs", b.pool().maxNumSeqs());
            p.put("max_model_len", b.pool().maxModelLen());
            m.put("KV pool per GPU", p);
        }
        return m;
    }

    private static java.math.BigDecimal round(double mib) {
        return new java.math.BigDecimal(mib).setScale(1, java.math.RoundingMode.HALF_UP);
    }
}
