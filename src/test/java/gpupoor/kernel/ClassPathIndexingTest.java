package gpupoor.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Needs {@code --add-opens jdk.jshell/jdk.jshell} (the kernelspec and surefire pass it). */
class ClassPathIndexingTest {

    /** JShell's own count of holds on its indexing thread ({@code SourceCodeAnalysisImpl.suspend}). */
    private static int jshellHolds(SourceCodeAnalysis analysis) throws ReflectiveOperationException {
        Field suspend = analysis.getClass().getDeclaredField("suspend");
        suspend.setAccessible(true);
        return suspend.getInt(analysis);
    }

    @Test
    void heldFromTheStartReleasedForCompletionAndAfterIdleTime() throws Exception {
        try (JShell shell = JShell.create()) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            ClassPathIndexing indexing = ClassPathIndexing.hold(analysis);
            assertTrue(indexing.isHeld());
            assertEquals(1, jshellHolds(analysis));

            indexing.hold(); // a cell starts while held: still one hold
            assertEquals(1, jshellHolds(analysis));
            indexing.release(); // completion wants the index
            assertFalse(indexing.isHeld());
            assertEquals(0, jshellHolds(analysis));

            indexing.hold();
            indexing.releaseWhenIdle();
            indexing.hold(); // the next cell comes before the idle time is up: the release is off
            Thread.sleep(ClassPathIndexing.IDLE_MS + 500);
            assertTrue(indexing.isHeld());
            indexing.releaseWhenIdle();
            long deadline = System.nanoTime() + (ClassPathIndexing.IDLE_MS + 5000) * 1_000_000;
            while (indexing.isHeld() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(indexing.isHeld());
            assertEquals(0, jshellHolds(analysis));
        }
    }
}
