package gpupoor.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.StandardCharsets;

/**
 * A cell's standard input: {@code System.in} reads from the front end (an {@code input_request})
 * when the request allows it. The cell's output goes through the kernel's
 * {@link gpupoor.kernel.protocol.Outbox} instead of jjava's streams.
 */
final class CellIO extends JupyterIO {
    CellIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Reads stdin from this request's front end when it allows it. */
    void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
        setEnv(env);
        setJupyterInEnabled(stdinAllowed);
    }

    /** Detaches from the request. */
    void detach(ShellReplyEnvironment env) {
        retractEnv(env);
    }
}
