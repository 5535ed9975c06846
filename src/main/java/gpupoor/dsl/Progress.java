package gpupoor.dsl;

import java.io.PrintStream;
import java.util.concurrent.CancellationException;

/**
 * Progress and interruption of a long computation: checks the thread's interrupt flag at every
 * step and stops with a {@link CancellationException} (restoring the flag); for large jobs prints
 * a line at every tenth of the way.
 */
final class Progress {

    private final String what;
    private final long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private int printedTenths;

    /**
     * @param what  what is computed, e.g. {@code sweep}
     * @param total steps in all
     * @param print whether to print progress lines
     */
    Progress(String what, long total, boolean print) {
        this.what = what;
        this.total = total;
        this.out = print ? System.out : null;
    }

    /** Call after step {@code done} (1-based); throws when the thread was interrupted. */
    void step(long done) {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancellationException(String.format("%s interrupted after %,d of %,d points", what, done, total));
        }
        if (out != null && (done % 1024 == 0 || done == total)) {
            int tenths = (int) (10 * done / total);
            if (tenths > printedTenths) {
                printedTenths = tenths;
                // one write per line: a notebook gets each line as one stream message
                out.print(String.format("%s: %d%% (%,d of %,d points) in %.1f s%n", what, 10 * tenths, done, total,
                        (System.nanoTime() - start) / 1e9));
                out.flush();
            }
        }
    }
}
