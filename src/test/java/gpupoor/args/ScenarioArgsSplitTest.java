package gpupoor.args;

import gpupoor.calc.InvalidScenarioException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A line of options split into words as a POSIX shell splits them (the measurements' settings column). */
class ScenarioArgsSplitTest {

    @Test
    void blanksSeparateAndQuotesKeepBlanks() {
        assertEquals(List.of("--lora-targets", "q, v", "--optimizer", "adamw"),
                ScenarioArgs.split("  --lora-targets \"q, v\"\t--optimizer adamw "));
        // single quotes keep everything; in double quotes a backslash escapes a quote or a backslash
        assertEquals(List.of("--x", "a b", "c\"d", "e\\f"), ScenarioArgs.split("--x 'a b' \"c\\\"d\" e\\\\f"));
        assertEquals(List.of("ab c"), ScenarioArgs.split("a'b c'"));
        assertEquals(List.of(), ScenarioArgs.split("   "));
        assertEquals(List.of(""), ScenarioArgs.split("''"));
    }

    @Test
    void unclosedQuotesAreErrors() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioArgs.split("--x \"a"));
        assertTrue(e.getMessage().contains("unclosed double quote"), e.getMessage());
        assertThrows(InvalidScenarioException.class, () -> ScenarioArgs.split("--x 'a"));
        assertThrows(InvalidScenarioException.class, () -> ScenarioArgs.split("--x a\\"));
    }

    @Test
    void laterOptionsWinOnlyWhenAsked() {
        List<String> twice = List.of("--batch=2", "--batch", "4");
        assertThrows(InvalidScenarioException.class, () -> ScenarioArgs.parse(twice));
        assertEquals("4", ScenarioArgs.parse(twice, true).batch);
    }

    @Test
    void bareFlagsReadAsPicocliReadsThem() {
        // a flag before another option or at the end takes its fallback value; before a value, that value
        ScenarioArgs a = ScenarioArgs.parse(List.of("--gpu-layers", "all", "--no-mmap", "--runtime-version", "b1691",
                "--bnb-double-quant", "--grad-checkpointing=no", "--batch=2", "--enforce-eager"), true);
        assertEquals("yes", a.noMmap);
        assertEquals("b1691", a.runtimeVersion);
        assertEquals("yes", a.bnbDoubleQuant);
        assertEquals("no", a.gradCheckpointing);
        assertEquals("2", a.batch);
        assertEquals("yes", a.enforceEager);
        ScenarioArgs valued = ScenarioArgs.parse(List.of("--no-mmap", "no", "--bnb-double-quant", "--batch=2"));
        assertEquals("no", valued.noMmap);
        assertEquals("yes", valued.bnbDoubleQuant);
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> ScenarioArgs.parse(List.of("--no-mmap", "--no-such-option")));
        assertTrue(e.getMessage().contains("unknown option '--no-such-option'"), e.getMessage());
    }
}
