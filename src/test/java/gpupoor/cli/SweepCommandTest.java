package gpupoor.cli;

import gpupoor.calc.Quant;
import gpupoor.dsl.Dsl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static gpupoor.cli.EstimateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep command: the CSV is the DSL's sweep table, ranges parse, bad input exits 2 with a message. */
class SweepCommandTest {

    @Test
    void csvHasOneRowPerPointWithTheDslsNumbers() {
        EstimateCommandTest.Run r = run("sweep", "--model", "meta-llama/Llama-2-7b-hf", "--gpu", "rtx-4090",
                "--quant", "gguf-Q4_K_M", "--calc", "gpu-poor", "--contexts", "512:4096", "--quants", "Q8_0,Q4_K_M");
        assertEquals(0, r.code(), r.err());
        Table csv = Table.read().csv(CsvReadOptions.builder(new StringReader(r.out())).build());
        Table dsl = Dsl.sweep(Dsl.model("meta-llama/Llama-2-7b-hf").on(Dsl.gpu("rtx-4090")).quant(Quant.Q4_K_M)
                .using(Dsl.GPU_POOR)).context(512, 4096).quants(Quant.Q8_0, Quant.Q4_K_M).table();
        assertEquals(8, csv.rowCount());
        assertEquals(dsl.columnNames(), csv.columnNames());
        assertEquals(dsl.doubleColumn("total_mib").asList(), csv.numberColumn("total_mib").asDoubleColumn().asList());
        assertEquals(List.of(512, 512, 1024), csv.intColumn("context_tokens").asList().subList(0, 3));
    }

    @Test
    void linearRangesListsAndFineTuning() {
        EstimateCommandTest.Run r = run("sweep", "--model", "meta-llama/Llama-2-7b-hf", "--gpu", "rtx-4090",
                "--calc", "gpu-poor", "--mode", "training", "--method", "lora", "--sequences", "256:1024:256",
                "--finetunes", "full,qlora", "--format", "table");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ms_per_iteration") && r.out().contains("QLoRA"), r.out());
        assertEquals(8, r.out().lines().filter(l -> l.matches("\\s+[\\d,]+\\s+\\|.*")).count(), r.out());
    }

    @Test
    void limitsAndPlots(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("fit.png");
        EstimateCommandTest.Run r = run("sweep", "--model", "meta-llama/Llama-2-70b-hf", "--calc", "gpu-poor",
                "--gpu", "rtx-4090", "--devices", "rtx-4090,a100-sxm4-80gb", "--limit", "fewest-gpus",
                "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("device,fewest_gpus,needed_mib"), r.out());
        assertTrue(r.out().contains("rtx-4090,7,") && r.out().contains("a100-sxm4-80gb,2,"), r.out());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void badInputExitsTwoWithAMessage() {
        EstimateCommandTest.Run r = run("sweep", "--model", "7B", "--contexts", "512:x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--contexts must be FROM:TO (doubling), FROM:TO:STEP (linear) or a list"), r.err());
        r = run("sweep", "--model", "7B", "--gpu", "rtx-4090", "--batches", "1,2", "--plot", "x.png", "--metric", "tokens");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown --metric 'tokens'; accepted: memory, tokens-per-second"), r.err());
        r = run("sweep", "--model", "7B", "--quants", "Q4_K_M,,Q8_0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("without empty items"), r.err());
        r = run("sweep", "--model", "7B", "--devices", "rtx-40900");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean"), r.err());
    }
}
