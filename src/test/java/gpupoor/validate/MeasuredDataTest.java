package gpupoor.validate;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.catalog.BandClass;
import gpupoor.catalog.ErrorBand;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading measurement files: the bundled one, incomplete ones, and the per-row CSV output. */
class MeasuredDataTest {

    @Test
    void bundledFileKeepsEveryRowAndItsSource() {
        MeasuredData data = MeasuredData.bundled();
        assertEquals(1115, data.rows().size());
        assertEquals(List.of(), data.missingColumns());
        assertTrue(data.rows().stream().allMatch(m -> m.sourceUrl().startsWith("https://")));
    }

    @Test
    void bothMethodsAnswerEveryBundledRow() {
        MeasuredData data = MeasuredData.bundled();
        for (var method : Methods.all()) {
            ValidationRun run = Validator.run(method, data);
            assertEquals(data.rows().size(), run.results().size(), method.id());
            // the vLLM start-up budget metrics have no prediction yet: their rows are the only invalid ones
            Set<String> pending = Set.of("activation_peak_mem", "non_torch_mem", "kv_cache_mem", "kv_cache_tokens");
            for (RowResult r : run.results()) {
                if (r.status() == Status.INVALID) {
                    assertTrue(pending.contains(r.measurement().metric()),
                            r.id() + " " + r.reason());
                }
            }
            assertEquals(128, run.count(Status.EXCLUDED), method.id());
            for (RowResult r : run.results()) {
                assertTrue(r.isOk() ? Double.isFinite(r.predicted()) : !r.reason().isEmpty(), r.id() + " " + r.reason());
            }
        }
    }

    @Test
    void missingColumnsSpoilOnlyTheRowsThatNeedThem() {
        ValidationRun run = Validator.run(new FixedMethod(), ValidatorTest.resource("missing-columns.csv"));
        assertEquals(1, run.warnings().size());
        assertTrue(run.warnings().get(0).contains("hardware_id, quant_id"), run.warnings().get(0));
        RowResult first = run.results().get(0);
        assertEquals(Status.INVALID, first.status());
        assertEquals("row 2 (id 1): column hardware_id is missing from the file", first.reason());
        assertEquals(Status.EXCLUDED, run.results().get(1).status());
    }

    @Test
    void filesThatAreNotMeasurementsAreRefusedWithAMessage() throws Exception {
        Path file = Files.createTempFile("not-measurements", ".csv");
        try {
            Files.writeString(file, "model,gpu\nllama,rtx-4090\n");
            InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> MeasuredData.read(file));
            assertTrue(e.getMessage().startsWith("'" + file + "' is not a measurements file"), e.getMessage());
            Files.writeString(file, "");
            InvalidScenarioException empty = assertThrows(InvalidScenarioException.class, () -> MeasuredData.read(file));
            assertTrue(empty.getMessage().contains("is empty: its first row must be a header"), empty.getMessage());
            // a quote left open spoils its row (and leaves the rest unread), not the file
            Files.writeString(file, "id,metric,value_norm\n1,decode_tok_s,12\n2,decode_tok_s,\"12\n");
            MeasuredData quote = MeasuredData.read(file);
            assertEquals(2, quote.rows().size());
            assertNull(quote.rows().get(0).problem());
            Measurement open = quote.rows().get(1);
            assertEquals(3, open.row());
            assertTrue(open.problem().startsWith("cannot be read as CSV") && !open.problem().contains("\n"), open.problem());
        } finally {
            Files.delete(file);
        }
        assertThrows(InvalidScenarioException.class, () -> MeasuredData.read(Path.of("no/such/file.csv")));
    }

    @Test
    void resultsCsvHasOneLinePerRowWithTheRangeOfItsBand() {
        ValidationRun run = Validator.run(new FixedMethod(), ValidatorTest.resource("known.csv"));
        BandClass c = new BandClass("mem_inference", "hf", "gpu-gddr", "1");
        List<ErrorBand> bands = new ArrayList<>(Collections.nCopies(run.results().size(), null));
        // predicted 1000 with p10 = -20%, p90 = +25%: measured likely within [1000/1.25, 1000/0.8]
        bands.set(0, new ErrorBand("fixed", c, ErrorBand.Basis.OWN, 12, 2, c, 12, 2, -0.2, 0.25, 0.1));
        StringWriter out = new StringWriter();
        ResultsCsv.write(run.results(), bands, out);
        String[] lines = out.toString().split("\n");
        assertEquals(19, lines.length);
        assertEquals("id,metric,measured,predicted,low,high,error_pct,status,reason,model_id,hardware_id,n_devices,"
                + "framework_id,quant_id,train_method,settings", lines[0]);
        assertEquals("1,mem_inference,800,1000,800,1250,25,ok,,meta-llama/Llama-2-7b-hf,rtx-4090,1,hf,fp16,,", lines[1]);
        assertEquals("16,prompt_tok_s,,,,,,excluded,made-up reason,meta-llama/Llama-2-7b-hf,rtx-4090,1,llama.cpp,gguf-Q4_0,,",
                lines[16]);
        assertEquals("0.33", ResultsCsv.number(1.0 / 3));
        assertEquals("", ResultsCsv.number(null));
    }
}
