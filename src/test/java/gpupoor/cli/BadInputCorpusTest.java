package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus ({@code src/test/resources/gpupoor/bad-inputs.jsonl}): one case per line,
 * each the command-line arguments (and the files they name), the exit code expected and a fragment
 * the message must hold: on stderr ({@code err}) or, for a row of a file, in the output
 * ({@code out}). Every case also holds the universal rules: no Java class name or stack trace
 * (unless {@code --debug}), no raw control character echoed, an {@code error:} line exactly when
 * the exit code is 2, and an answer within a minute (a FIFO or a huge input must not hang).
 *
 * <p>In arguments and file contents, {@code {dir}} is the case's temporary directory and
 * {@code {repeat:TEXT:N}} is TEXT N times ({@code %3A} in TEXT stands for a colon); {@code fifo}
 * names files made as named pipes.
 */
class BadInputCorpusTest {

    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(.*?):(\\d+)\\}");
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "java.lang", "java.io", "java.nio",
            "com.fasterxml", "picocli.", "gpupoor.");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                BadInputCorpusTest.class.getResourceAsStream("/gpupoor/bad-inputs.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    JsonNode c = json.readTree(line);
                    out.add(Arguments.of(c.get("case").asText(), c));
                }
            }
        }
        return out.stream();
    }

    @Test
    void theCorpusHoldsAtLeast200Cases() throws IOException {
        assertTrue(cases().count() >= 200, "cases: " + cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersClearly(String name, JsonNode c, @TempDir Path dir) throws Exception {
        String d = dir.toString();
        if (c.has("files")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, expand(f.getValue().asText(), d));
            }
        }
        if (c.has("fifo")) {
            for (JsonNode f : c.get("fifo")) {
                Process mk = new ProcessBuilder("mkfifo", dir.resolve(f.asText()).toString()).start();
                assertEquals(0, mk.waitFor(), "mkfifo");
            }
        }
        List<String> args = new ArrayList<>();
        for (JsonNode a : c.get("args")) {
            args.add(expand(a.asText(), d));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0])));
        String o = out.toString();
        String e = err.toString().replace(d, "{dir}");
        String shown = "exit " + code + "\nstderr: " + cut(e) + "\nstdout: " + cut(o);
        assertEquals(c.get("exit").asInt(), code, shown);
        if (c.has("err")) {
            assertTrue(e.contains(c.get("err").asText()), "stderr lacks '" + c.get("err").asText() + "'\n" + shown);
        }
        if (c.has("out")) {
            assertTrue(o.contains(c.get("out").asText()), "stdout lacks '" + c.get("out").asText() + "'\n" + shown);
        }
        if (!args.contains("--debug")) {
            for (String leak : LEAKS) {
                assertFalse(e.contains(leak), "stderr shows '" + leak + "'\n" + shown);
            }
        }
        assertFalse(hasControlCharacter(e) || hasControlCharacter(o), "raw control character echoed\n" + shown);
        assertEquals(code == Main.BAD_INPUT, e.contains("error: "), "an error line exactly when the exit code is 2\n" + shown);
    }

    private static String expand(String text, String dir) {
        Matcher m = REPEAT.matcher(text.replace("{dir}", dir));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1).replace("%3A", ":").repeat(Integer.parseInt(m.group(2)))));
        }
        return m.appendTail(sb).toString();
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t' || ch == 0x7f);
    }

    private static String cut(String s) {
        return s.length() > 1500 ? s.substring(0, 1500) + "…" : s;
    }
}
