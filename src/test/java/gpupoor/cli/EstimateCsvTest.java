package gpupoor.cli;

import gpupoor.catalog.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code estimate --calc gpu-poor --csv} end to end on the differential vectors
 * ({@code src/test/resources/gpupoor/original-vectors.csv}, see {@code OriginalVectorsTest}): the
 * file itself is the input (its expected-output columns are ignored as input), and every output
 * cell must equal the original's, cell by cell.
 */
class EstimateCsvTest {

    private static final List<String> COMPARED = List.of("total_mib", "kv_mib", "model_mib", "activation_mib",
            "grad_opt_mib", "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter");

    @Test
    void everyCellEqualsTheOriginals(@TempDir Path dir) throws URISyntaxException, IOException {
        // the original ignores its fine-tuning dropdowns in inference but for qlora (reference §11, 26); we
        // refuse them there (OriginalVectorsTest checks that), so the input leaves them out
        Path vectors = dir.resolve("vectors.csv");
        List<String> lines = Files.readAllLines(Path.of(EstimateCsvTest.class.getResource("/gpupoor/original-vectors.csv")
                .toURI()));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> input = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            Map<String, String> used = gpupoor.calc.original.OriginalVectorsTest.inferenceOnly(row);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = used.get(header.get(i));
            }
            input.add(String.join(",", cells));
        }
        Files.write(vectors, input);
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("estimate", "--calc", "gpu-poor", "--csv", vectors.toString());
        // some rows are ones the original rejects: each is answered with its error, and the exit code says so
        assertEquals(Main.BAD_INPUT, code, err.toString());

        List<Map<String, String>> expected = Csv.read(EstimateCsvTest.class.getResourceAsStream(
                "/gpupoor/original-vectors.csv"), "original-vectors.csv");
        List<Map<String, String>> actual = Csv.read(new StringReader(out.toString()), "estimate --csv output");
        assertEquals(expected.size(), actual.size(), "one output row per input row");
        assertTrue(actual.get(0).keySet().containsAll(COMPARED), "columns: " + actual.get(0).keySet());

        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> want = expected.get(i);
            Map<String, String> got = actual.get(i);
            String name = want.get("case");
            Map<String, String> used = gpupoor.calc.original.OriginalVectorsTest.inferenceOnly(want);
            for (String column : CsvEstimates.INPUT) {
                String given = used.get(column);
                if (!given.equals(got.get(column))) {
                    differences.add(name + " echoes " + column + " as '" + got.get(column) + "'");
                }
            }
            for (String column : COMPARED) {
                if (!want.get(column).equals(got.get(column))) {
                    differences.add(name + " " + column + ": original '" + want.get(column) + "', ours '"
                            + got.get(column) + "'");
                }
            }
            boolean originalRejects = !want.get("rejected").isEmpty();
            if (originalRejects == got.get("error").isEmpty()) {
                differences.add(name + " error '" + got.get("error") + "' but the original rejects '"
                        + want.get("rejected") + "'");
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " differences, first: "
                + differences.subList(0, Math.min(20, differences.size())));
    }
}
