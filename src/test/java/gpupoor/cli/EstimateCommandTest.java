package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate command end to end: JSON shape, exit codes and error messages. */
class EstimateCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsTheSeedKeysInOrder() throws IOException {
        Run r = run("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--prompt", "500", "--gen", "500",
                "--gpu", "rtx-4090", "--calc", "gpu-poor");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> memoryKeys = List.of("Total", "KV Cache", "Model Size", "Activation Memory",
                "Grad & Optimizer memory", "cuda + other overhead");
        List<String> actual = new java.util.ArrayList<>();
        json.get("memory").fieldNames().forEachRemaining(actual::add);
        assertEquals(memoryKeys, actual);
        // reference §10.1 and §10.3
        assertEquals(14603, json.get("memory").get("Total").asInt());
        assertEquals(38, json.get("speed").get("Token per second").asInt());
        assertEquals("26.08", json.get("speed").get("ms per token").asText());
        assertEquals("memory", json.get("speed").get("memory or compute bound?").asText());
        assertFalse(json.has("training"));
    }

    /** A class's line of catalog/error-bands.csv, read as plain text and split into its cells. */
    private static String[] bandLine(String method, String metric, String runtime, String device, String gpus)
            throws IOException {
        String key = String.join(",", method, metric, runtime, device, gpus) + ",";
        for (String line : Files.readAllLines(Path.of("catalog/error-bands.csv"))) {
            if (line.startsWith(key)) {
                return line.split(",", -1);
            }
        }
        throw new AssertionError("no band for " + key);
    }

    @Test
    void everyFigureHasTheRangeItsMeasuredValueLikelyLiesIn() throws IOException {
        Run r = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "gguf-Q4_K_M", "--gpu", "rtx-4090");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode tokens = json.get("uncertainty").get("speed").get("Token per second");
        assertEquals("decode_tok_s · llama.cpp · gpu-gddr · 1 device", tokens.get("class").asText());
        // whatever the bundled rows give this class (its own band, a parent's, the wide default), the
        // answer carries that line of error-bands.csv: its band's rows and sources, a note unless own
        String[] line = bandLine("default", "decode_tok_s", "llama.cpp", "gpu-gddr", "1");
        assertEquals(Integer.parseInt(line[11]), tokens.get("rows").asInt(), tokens.toString());
        assertEquals(Integer.parseInt(line[12]), tokens.get("sources").asInt(), tokens.toString());
        assertEquals(!line[7].equals("own"), tokens.has("note"), "only a class with rows of its own has no note: " + tokens);
        double p10 = Double.parseDouble(line[13]) / 100;
        double p90 = Double.parseDouble(line[14]) / 100;
        double value = json.get("speed").get("Token per second").asDouble();
        assertEquals(value / (1 + p90), tokens.get("low").asDouble(), 0.11);
        assertEquals(value / (1 + p10), tokens.get("high").asDouble(), 0.11);
        JsonNode ms = json.get("uncertainty").get("speed").get("ms per token");
        assertEquals(1000 / tokens.get("high").asDouble(), ms.get("low").asDouble(), 0.02);
        assertTrue(json.get("uncertainty").get("memory").has("Total"));
        assertTrue(json.get("uncertainty").get("memory").has("Model Size"));
        assertFalse(json.get("uncertainty").get("memory").has("KV Cache"), "no metric measures the KV cache alone");
        assertEquals("fits", json.get("uncertainty").get("fits").asText());
    }

    @Test
    void aClassWithoutMeasurementsSaysSoWithTheWideDefault() throws IOException {
        Run r = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--framework", "vllm", "--gpu", "h100-sxm5-80gb",
                "--gpus", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode tokens = json.get("uncertainty").get("speed").get("Token per second");
        assertEquals(0, tokens.get("rows").asInt());
        assertTrue(tokens.get("note").asText().startsWith("no bundled measurement of decode_tok_s · vllm · gpu-hbm · "
                + "2+ devices: a wide default band"), tokens.toString());
        double value = json.get("speed").get("Token per second").asDouble();
        assertTrue(tokens.get("low").asDouble() <= value / 2 + 0.1 && tokens.get("high").asDouble() >= 2 * value - 0.1,
                tokens.toString());
    }

    @Test
    void trainingOnAGpuPrintsMsPerIteration() throws IOException {
        Run r = run("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--mode", "training", "--method", "lora",
                "--prompt", "512", "--gen", "1", "--gpu", "rtx-4090", "--calc", "gpu-poor");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        // reference §10.5
        assertEquals("226.53", json.get("training").get("ms per iteration (forward + backward)").asText());
        assertFalse(json.has("speed"));
    }

    @Test
    void unknownModelExitsTwoWithSuggestions() {
        Run r = run("estimate", "--model", "meta-llama/Llama-2-7b", "--calc", "gpu-poor");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean"), r.err());
        assertTrue(r.err().contains("meta-llama/Llama-2-7b-hf"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void unknownGpuExitsTwoWithSuggestions() {
        Run r = run("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--gpu", "rtx-4099");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("rtx-4090"), r.err());
    }

    @Test
    void rejectedCombinationsExitTwoWithAReason() {
        String[][] cases = {
                {"--quant", "gguf-Q4_K_M", "--framework", "hf"},
                {"--quant", "bnb-int8", "--method", "qlora", "--mode", "training"},
                {"--mode", "training", "--cpu", "13900K"},
                {"--framework", "vllm", "--quant", "bnb-nf4"},
                {"--prompt", "0"},
                {"--batch", "-1"},
                {"--gpus", "0", "--gpu", "rtx-4090"},
                {"--prompt", "abc"},
                {"--quant", "Q4_K_X"},
        };
        for (String[] extra : cases) {
            String[] args = new String[5 + extra.length];
            args[0] = "estimate";
            args[1] = "--model";
            args[2] = "meta-llama/Llama-2-7b-hf";
            args[3] = "--calc";
            args[4] = "gpu-poor";
            System.arraycopy(extra, 0, args, 5, extra.length);
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", extra) + " -> " + r.out() + r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(r.out().contains("NaN") || r.out().contains("Infinity"), r.out());
        }
    }

    @Test
    void malformedConfigFileExitsTwo(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("config.json");
        Files.writeString(bad, "{\"hidden_size\": 4096,");
        Run r = run("estimate", "--model", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a JSON object") && r.err().contains("line 1"), r.err());
    }

    @Test
    void csvModeWritesOneRowPerInputWithPerRowErrors(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, """
                case,model,size,mode,framework,quant,method,optimizer,grad_ckpt,prompt,gen,batch,device,ddr,gpus
                ok,meta-llama/Llama-2-7b-hf,,inference,hf,none,,,,500,500,1,rtx-4090,,1
                bad-model,meta-llama/Llama-2-7x,,inference,hf,none,,,,500,500,1,,,
                bad-prompt,meta-llama/Llama-2-7b-hf,,inference,hf,none,,,,x,500,1,,,
                train,meta-llama/Llama-2-7b-hf,,training,hf,none,lora,adam,no,512,1,1,rtx-4090,,1
                """);
        Run r = run("estimate", "--calc", "gpu-poor", "--csv", in.toString());
        // every row is answered; the exit code says that two could not be estimated
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("error: 2 of 4 rows could not be estimated (rows 3, 4)"), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).endsWith("total_mib,kv_mib,model_mib,activation_mib,grad_opt_mib,overhead_mib,"
                + "tok_s,ms_per_token,prompt_s,bound,ms_per_iter,host_allocated_mib,host_mapped_mib,max_concurrency,error,"
                + "total_low_mib,total_high_mib,tok_s_low,tok_s_high,ms_per_iter_low,ms_per_iter_high,verdict"), lines.get(0));
        assertTrue(lines.get(1).contains(",14603,1000,12852,101,0,650,38,26.08,1.23,memory,,"), lines.get(1));
        assertTrue(lines.get(2).contains("row 3: unknown model"), lines.get(2));
        assertTrue(lines.get(3).contains("row 4: prompt=x: prompt length must be an integer from 1 to 2,147,483,647"),
                lines.get(3));
        assertTrue(lines.get(4).contains(",226.53,"), lines.get(4));
    }

    @Test
    void csvRowsCarryTheRangesAndVerdictOfTheJson(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, """
                model,quant,device,mode,method,prompt
                meta-llama/Llama-3.1-8B,gguf-Q4_K_M,rtx-4090,,,512
                meta-llama/Llama-3.1-8B,none,rtx-4090,training,lora,512
                """);
        Run csv = run("estimate", "--csv", in.toString());
        assertEquals(0, csv.code(), csv.err());
        List<java.util.Map<String, String>> rows = gpupoor.catalog.Csv.read(new java.io.StringReader(csv.out()), "output");
        List<List<String>> args = List.of(
                List.of("--model", "meta-llama/Llama-3.1-8B", "--quant", "gguf-Q4_K_M", "--device", "rtx-4090", "--prompt", "512"),
                List.of("--model", "meta-llama/Llama-3.1-8B", "--quant", "none", "--device", "rtx-4090", "--mode", "training",
                        "--method", "lora", "--prompt", "512"));
        for (int i = 0; i < args.size(); i++) {
            List<String> a = new java.util.ArrayList<>(List.of("estimate"));
            a.addAll(args.get(i));
            Run one = run(a.toArray(new String[0]));
            assertEquals(0, one.code(), one.err());
            JsonNode u = new ObjectMapper().readTree(one.out()).get("uncertainty");
            java.util.Map<String, String> row = rows.get(i);
            assertEquals(u.get("memory").get("Total").get("low").asText(), row.get("total_low_mib"), "row " + i);
            assertEquals(u.get("memory").get("Total").get("high").asText(), row.get("total_high_mib"), "row " + i);
            assertEquals(u.get("fits").asText(), row.get("verdict"), "row " + i);
            if (i == 0) {
                assertEquals(u.get("speed").get("Token per second").get("low").asText(), row.get("tok_s_low"));
                assertEquals(u.get("speed").get("Token per second").get("high").asText(), row.get("tok_s_high"));
                assertEquals("", row.get("ms_per_iter_low"), "no fine-tuning time in inference");
            } else {
                JsonNode ms = u.get("training").fields().next().getValue();
                assertEquals(ms.get("low").asText(), row.get("ms_per_iter_low"));
                assertEquals(ms.get("high").asText(), row.get("ms_per_iter_high"));
                assertEquals("", row.get("tok_s_low"), "no decode speed in fine-tuning");
            }
        }
    }

    @Test
    void missingCsvFileExitsTwo() {
        Run r = run("estimate", "--csv", "/nonexistent.csv");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not found"), r.err());
    }

    @Test
    void contextSplitsIntoPromptAndGeneration() throws IOException {
        Run both = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--context", "8192", "--gen", "1000");
        Run explicit = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--prompt", "7192", "--gen", "1000");
        assertEquals(0, both.code(), both.err());
        assertEquals(explicit.out(), both.out());
        Run half = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--context", "600");
        Run split = run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--prompt", "300", "--gen", "300");
        assertEquals(split.out(), half.out(), "the default 512 generated tokens are capped at half the context");
        Run conflict = run("estimate", "--model", "7B", "--context", "8192", "--prompt", "100");
        assertEquals(2, conflict.code());
        assertTrue(conflict.err().contains("either --context 8192 or --prompt 100"), conflict.err());
    }
}
