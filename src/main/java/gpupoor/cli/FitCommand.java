package gpupoor.cli;

import gpupoor.calc.Fit;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;
import gpupoor.args.ScenarioArgs;
import gpupoor.dsl.FitResult;
import gpupoor.dsl.Fits;
import gpupoor.dsl.Limit;
import gpupoor.dsl.Setup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fit}: the limits of a scenario on its device, each an exact search: the longest context
 * or fine-tuning sequence, the largest batch, the best quantization and the fewest GPUs (JSON).
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find a scenario's limits on its device: the longest context, largest batch, best quantization, fewest GPUs.",
                "An exact search over the method's estimates (JSON on stdout): the longest context (inference) or",
                "fine-tuning sequence (training), the largest batch, the best quantization that fits with the framework,",
                "and the fewest GPUs, each with the memory it needs and what one step beyond would need.",
                "Memory is in MiB. Bad input exits with code 2 and a message."})
public final class FitCommand implements Callable<Integer> {

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ScenarioArgs scenario;

    @Option(names = "--limit", paramLabel = "LIMIT", description = "all (default: every limit that applies), max-context, max-batch, max-sequence, best-quant or fewest-gpus.")
    String limit = "all";
    @Option(names = "--candidates", paramLabel = "Q,Q,...", description = "best-quant: the quantizations to try, best first (default: every one the method accepts).")
    String candidates;
    @Option(names = "--memory-gib", paramLabel = "GIB", description = "Memory per device in GiB instead of the catalog's (needed for a CPU).")
    Double memoryGib;

    @Override
    public Integer call() throws Exception {
        Setup setup = Setup.of(scenario.builder(Catalog.get()), scenario.calcMethod());
        Fits fits = gpupoor.dsl.Dsl.fits(setup);
        if (memoryGib != null) {
            fits = fits.memory(memoryGib);
        }
        List<Limit> limits = limit.trim().equalsIgnoreCase("all") ? fits.applicable()
                : List.of(Ranges.constant(Limit.class, "--limit", limit));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("setup", setup.toText());
        for (Limit l : limits) {
            FitResult r = l == Limit.BEST_QUANT && candidates != null
                    ? fits.bestQuant(Arrays.stream(Ranges.names("--candidates", candidates)).map(Quant::parse)
                    .toArray(Quant[]::new))
                    : fits.limit(l);
            json.put(l.title(), describe(r));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(EstimateCommand.JSON.writeValueAsString(json));
        out.flush();
        return 0;
    }

    private static Map<String, Object> describe(FitResult r) {
        Fit.Result<?> res = r.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", res.value() instanceof Quant q ? q.id() : res.value());
        if (res.at() != null) {
            m.put("needed MiB", res.at().neededMiB());
            m.put("capacity MiB", res.at().capacityMiB());
        }
        if (res.beyond() != null) {
            m.put("next step needed MiB", res.beyond().neededMiB());
            m.put("next step capacity MiB", res.beyond().capacityMiB());
        }
        m.put("summary", r.toText().lines().findFirst().orElse(""));
        m.put("estimates", res.trials().size());
        if (!res.notes().isEmpty()) {
            m.put("notes", res.notes());
        }
        return m;
    }
}
