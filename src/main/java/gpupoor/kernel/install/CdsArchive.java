package gpupoor.kernel.install;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records an AppCDS archive for the installed kernel: starts the kernel exactly as Jupyter will
 * (same java, flags and jar) with {@code -XX:ArchiveClassesAtExit}, runs a short session through
 * {@link KernelClient} (a table, a chart, the catalog, widgets, {@code explore(..)}, a sweep's plot, a
 * sweep's table filtered, summarized and written, {@code validate()}) and shuts it down; the JVM writes
 * the classes it loaded. Later starts map them instead of loading and verifying them again. Any
 * failure only means no archive: the kernel works without one.
 */
final class CdsArchive {
    /** The cells of the recording session: what a first notebook touches. */
    static final List<String> SESSION = List.of(
            "Table t = Table.create(\"warm-up\", DoubleColumn.create(\"x\", 1, 2, 3), StringColumn.create(\"s\", \"a\", \"b\", \"c\"));\nt",
            "XYChart c = new XYChartBuilder().width(320).height(200).title(\"warm-up\").build();\n"
                    + "c.addSeries(\"y\", new double[] {1, 2, 3}, new double[] {3, 1, 2});\ndisplay(c);\nc",
            "Catalog.get().allHardware().size()",
            "new HBox(new IntSlider(\"warm-up\", 0, 10, 5), new Checkbox(\"warm-up\", true))",
            "explore(model(\"meta-llama/Llama-3.1-8B\").on(gpu(\"rtx-4090\")).quant(Q4_K_M))",
            "sweep(model(\"meta-llama/Llama-3.1-8B\").on(gpu(\"rtx-4090\"))).context(512, 8192).quants(Q8_0, Q4_K_M)"
                    + ".plot(MEMORY)",
            // what the example notebooks do beyond that: a table filtered, summarized and written
            // (tablesaw's aggregates, Guava, RoaringBitmap, univocity), validation (its row parser, picocli)
            "var w = sweep(model(\"meta-llama/Llama-3.1-8B\").on(gpu(\"rtx-4090\")).framework(LLAMA_CPP).quant(Q4_K_M))"
                    + ".context(1024, 8192).batches(1, 8).table();\n"
                    + "var f = java.io.File.createTempFile(\"gpupoor-cds\", \".csv\");\nw.write().csv(f);\nf.delete();\n"
                    + "w.where(w.booleanColumn(\"fits\").isTrue()).summarize(\"context_tokens\", "
                    + "tech.tablesaw.aggregate.AggregateFunctions.max).by(\"batch\")",
            "var v = validate();\nv.summary(\"metric\", \"framework\");\nv.rows().countBy(\"metric\")",
            "System.out.println(\"recorded\");");
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration CELL = Duration.ofSeconds(60);

    private CdsArchive() {
    }

    /**
     * The result of trying.
     *
     * @param created whether the archive file now exists
     * @param note    its size, or why there is none
     */
    record Outcome(boolean created, String note) {
    }

    /**
     * Runs the recording session.
     *
     * @param argv        the kernelspec's command line ({@code {resource_dir}} and {@code {connection_file}} not yet filled in)
     * @param resourceDir the kernelspec directory
     * @param archive     where the archive goes
     */
    static Outcome create(List<String> argv, Path resourceDir, Path archive) {
        Path connection = null;
        Process kernel = null;
        try {
            connection = Files.createTempFile("gpupoor-cds", ".json");
            KernelConnectionProperties props = KernelClient.loopback();
            KernelClient.write(props, connection);
            List<String> command = new ArrayList<>();
            for (String arg : argv) {
                command.add(arg.replace("{resource_dir}", resourceDir.toString())
                        .replace("{connection_file}", connection.toString()));
            }
            command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
            kernel = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (KernelClient client = new KernelClient(props)) {
                client.awaitReady(READY);
                for (String cell : SESSION) {
                    client.execute(cell, CELL);
                }
                client.shutdown(CELL);
            }
            if (!kernel.waitFor(CELL.toSeconds(), TimeUnit.SECONDS)) {
                return new Outcome(false, "the recording kernel did not exit");
            }
            if (kernel.exitValue() != 0 || !Files.isRegularFile(archive)) {
                return new Outcome(false, "the JVM wrote no archive (exit code " + kernel.exitValue() + ")");
            }
            return new Outcome(true, String.format("%.1f MB", Files.size(archive) / 1e6));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return new Outcome(false, "recording session failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        } finally {
            if (kernel != null && kernel.isAlive()) {
                kernel.destroyForcibly();
            }
            if (connection != null) {
                try {
                    Files.deleteIfExists(connection);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans it up
                }
            }
        }
    }
}
