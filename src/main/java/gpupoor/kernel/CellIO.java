package gpupoor.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.StandardCharsets;

/**
 * A cell's standard streams and display channel: {@code System.out}/{@code System.err} become
 * Jupyter stream messages and {@code display(..)} becomes display data of the running cell.
 */
final class CellIO extends JupyterIO {
    CellIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Sends output to this request's cell; stdin is read from the front end when it allows it. */
    void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
    }

    /** Flushes what the cell printed without a newline, then detaches from the request. */
    void detach(ShellReplyEnvironment env) {
        flush();
        retractEnv(env);
    }

    /** Sends what the cell printed so far (the streams flush by themselves only at a newline). */
    void flush() {
        out.flush();
        err.flush();
    }
}
