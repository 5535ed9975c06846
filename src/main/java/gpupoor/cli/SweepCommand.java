package gpupoor.cli;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Optimizer;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Catalog;
import gpupoor.args.ScenarioArgs;
import gpupoor.dsl.Device;
import gpupoor.dsl.Dsl;
import gpupoor.dsl.Limit;
import gpupoor.dsl.Metric;
import gpupoor.dsl.Plot;
import gpupoor.dsl.Setup;
import gpupoor.dsl.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code sweep}: one scenario over ranges of its parameters, one CSV row per point (or a text
 * table), optionally a chart; with {@code --limit}, a fit limit at every point instead.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate a scenario over ranges of its parameters, one CSV row per point.",
                "Every combination of the values given is a point (columns: the swept parameters, then total_mib ... error).",
                "RANGE is FROM:TO (doubling: 512:131072), FROM:TO:STEP (linear: 1024:8192:1024) or a list (1,8,32).",
                "Bad input exits with code 2 and a message."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ScenarioArgs scenario;

    @Option(names = "--contexts", paramLabel = "RANGE", description = "Contexts (prompt + generated tokens; generation stays as --gen, at most half).")
    String contexts;
    @Option(names = "--prompts", paramLabel = "RANGE", description = "Prompt lengths.")
    String prompts;
    @Option(names = "--gens", paramLabel = "RANGE", description = "Generation lengths.")
    String gens;
    @Option(names = "--batches", paramLabel = "RANGE", description = "Batch sizes.")
    String batches;
    @Option(names = "--sequences", paramLabel = "RANGE", description = "Fine-tuning sequence lengths (with --mode training).")
    String sequences;
    @Option(names = "--lora-ranks", paramLabel = "RANGE", description = "LoRA ranks (with --mode training).")
    String ranks;
    @Option(names = "--gpu-counts", paramLabel = "RANGE", description = "Numbers of GPUs.")
    String gpuCounts;
    @Option(names = "--quants", paramLabel = "Q,Q,...", description = "Quantizations, e.g. none,gguf-Q8_0,gguf-Q4_K_M.")
    String quants;
    @Option(names = "--devices", paramLabel = "ID,ID,...", description = "Devices, one of each, e.g. rtx-3090,rtx-4090,a100-sxm4-80gb.")
    String devices;
    @Option(names = "--models", paramLabel = "ID,ID,...", description = "Models (ids, config.json paths or sizes).")
    String models;
    @Option(names = "--frameworks", paramLabel = "FW,FW,...", description = "Runtimes: hf,vllm,llama.cpp.")
    String frameworks;
    @Option(names = "--finetunes", paramLabel = "M,M,...", description = "Fine-tuning methods: full,lora,qlora.")
    String finetunes;
    @Option(names = "--optimizers", paramLabel = "OPT,...", description = "Optimizers (with --mode training or --finetunes).")
    String optimizers;
    @Option(names = "--calcs", paramLabel = "METHOD,...", description = "Calculation methods: default,gpu-poor.")
    String calcs;
    @Option(names = "--limit", paramLabel = "LIMIT", description = "Find a limit at every point instead: max-context, max-batch, max-sequence, best-quant or fewest-gpus.")
    String limit;
    @Option(names = "--format", paramLabel = "FMT", description = "csv (default) or table (aligned text).")
    String format = "csv";
    @Option(names = "--plot", paramLabel = "FILE", description = "Also write a chart to FILE: PNG when it ends in .png, SVG when it ends in .svg.")
    String plot;
    @Option(names = "--metric", paramLabel = "METRIC", description = "What --plot shows: memory (default), tokens-per-second, throughput, ms-per-token, prompt-seconds, ms-per-iteration, gpus-needed.")
    String metric = "memory";

    @Override
    public Integer call() {
        if (!format.equals("csv") && !format.equals("table")) {
            throw new InvalidScenarioException("--format must be csv or table, got '" + format + "'");
        }
        if (plot != null) {
            Plot.checkFileName(plot);
        }
        Sweep s = Dsl.sweep(Setup.of(scenario.builder(Catalog.get()), scenario.calcMethod()));
        s = Ranges.apply(s, "--contexts", contexts, Sweep::context, Sweep::context, Sweep::contexts);
        s = Ranges.apply(s, "--prompts", prompts, Sweep::prompt, Sweep::prompt, Sweep::prompts);
        s = Ranges.apply(s, "--gens", gens, Sweep::generate, Sweep::generate, Sweep::generates);
        s = Ranges.apply(s, "--batches", batches, Sweep::batch, Sweep::batch, Sweep::batches);
        s = Ranges.apply(s, "--sequences", sequences, Sweep::sequence, Sweep::sequence, Sweep::sequences);
        s = Ranges.apply(s, "--lora-ranks", ranks, Sweep::rank, Sweep::rank, Sweep::ranks);
        s = Ranges.apply(s, "--gpu-counts", gpuCounts, Sweep::gpuCount, Sweep::gpuCount, Sweep::gpuCounts);
        if (quants != null) {
            s = s.quants(Ranges.names("--quants", quants));
        }
        if (devices != null) {
            s = s.devices(Arrays.stream(Ranges.names("--devices", devices)).map(Dsl::device).toArray(Device[]::new));
        }
        if (models != null) {
            s = s.models(Ranges.names("--models", models));
        }
        if (frameworks != null) {
            s = s.frameworks(Arrays.stream(Ranges.names("--frameworks", frameworks)).map(Framework::parse)
                    .toArray(Framework[]::new));
        }
        if (finetunes != null) {
            s = s.finetunes(Arrays.stream(Ranges.names("--finetunes", finetunes)).map(TrainMethod::parse)
                    .toArray(TrainMethod[]::new));
        }
        if (optimizers != null) {
            s = s.optimizers(Arrays.stream(Ranges.names("--optimizers", optimizers)).map(Optimizer::parse)
                    .toArray(Optimizer[]::new));
        }
        if (calcs != null) {
            s = s.using(Ranges.names("--calcs", calcs));
        }
        Table table;
        if (limit != null) {
            var limits = s.limit(Ranges.constant(Limit.class, "--limit", limit));
            table = limits.table();
            if (plot != null) {
                limits.plot().save(plot);
            }
        } else {
            Metric m = Ranges.constant(Metric.class, "--metric", metric);
            table = s.table();
            if (plot != null) {
                s.plot(m).save(plot);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("csv")) {
            table.write().csv(out);
        } else {
            out.println(table.printAll());
        }
        out.flush();
        return 0;
    }
}
