package gpupoor.dsl;

import gpupoor.widgets.FrontEnd;
import gpupoor.widgets.Widgets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    /** Runs steps 1..total, pausing past the redraw interval at each given step; returns what was printed. */
    private static String run(Progress p, long total, long interruptAt, long... pauses) throws InterruptedException {
        FrontEnd before = Widgets.frontEnd();
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int next = 0;
            for (long i = 1; i <= total; i++) {
                if (next < pauses.length && i == pauses[next]) {
                    Thread.sleep(Progress.REDRAW_MS + 50);
                    next++;
                }
                if (i == interruptAt) {
                    Thread.currentThread().interrupt();
                }
                p.step(i);
            }
        } finally {
            System.setOut(out);
            Thread.interrupted();
            Widgets.use(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAFrontEndTheBarIsOneLineRedrawnInPlace() throws InterruptedException {
        String shown = run(new Progress("sweep", 4096, true), 4096, -1, 1024, 2048);
        String[] frames = shown.split("\r");
        assertEquals(3, frames.length, shown);
        assertTrue(frames[0].startsWith("sweep ▕██████                  ▏ 25% (1,024 of 4,096 points) in "), frames[0]);
        assertTrue(frames[0].endsWith(" left"), frames[0]);
        assertTrue(frames[1].startsWith("sweep ▕████████████            ▏ 50% (2,048 of 4,096 points) in "), frames[1]);
        assertTrue(frames[2].matches("sweep ▕█{24}▏ 4,096 points in \\d+\\.\\d s" + System.lineSeparator()), frames[2]);
    }

    @Test
    void aShortJobShowsNoBarAndAHiddenBarShowsNothing() throws InterruptedException {
        assertEquals("", run(new Progress("sweep", 4096, true), 4096, -1));
        assertEquals("", run(new Progress("sweep", 4096, false), 4096, -1, 1024, 2048));
    }

    @Test
    void anInterruptStopsWithWhereItStopped() {
        CancellationException e = assertThrows(CancellationException.class,
                () -> run(new Progress("limit sweep", 4096, true), 4096, 3000, 1024));
        assertEquals("limit sweep interrupted after 3,000 of 4,096 points", e.getMessage());
    }
}
