package gpupoor.cli;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.catalog.Catalog;
import gpupoor.dsl.Listing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code list models|devices|quants [--filter TEXT]}: what the catalog holds, as a table. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the catalog's models, devices or quantization ids as a table.",
                "--filter keeps the rows whose id (for devices also the name or vendor) has every word of TEXT; "
                        + "models with a filter include the original calculator's table.",
                "--format csv prints CSV instead of the aligned table."})
public final class ListCommand implements Callable<Integer> {

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WHAT", description = "models, devices or quants.")
    String what;
    @Option(names = "--filter", paramLabel = "TEXT", description = "Words every listed row has, e.g. qwen3, \"llama 70b\", 4090, gguf.")
    String filter;
    @Option(names = "--hardware-file", paramLabel = "FILE", description = "A CSV file in hardware.csv's columns whose rows extend the device list.")
    Path hardwareFile;
    @Option(names = "--format", paramLabel = "FMT", description = "table (the default) or csv.")
    String format;

    @Override
    public Integer call() {
        Catalog catalog = hardwareFile == null ? Catalog.get() : Catalog.get().withHardware(hardwareFile);
        Table t = switch (what.trim().toLowerCase(Locale.ROOT)) {
            case "models", "model" -> Listing.models(catalog, filter);
            case "devices", "device", "gpus", "hardware" -> Listing.devices(catalog, filter);
            case "quants", "quant", "quantizations" -> Listing.quants(filter);
            default -> throw new InvalidScenarioException("list " + what + ": list models, devices or quants");
        };
        PrintWriter out = spec.commandLine().getOut();
        String fmt = format == null ? "table" : format.trim().toLowerCase(Locale.ROOT);
        switch (fmt) {
            case "table" -> {
                out.println(t.printAll());
                out.println(t.rowCount() + " row" + (t.rowCount() == 1 ? "" : "s"));
            }
            case "csv" -> out.print(t.write().toString("csv"));
            default -> throw new InvalidScenarioException("--format " + format + ": the formats are table and csv");
        }
        out.flush();
        return 0;
    }
}
