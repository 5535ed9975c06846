package gpupoor.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.GeneralSecurityException;

/**
 * The kernel's five sockets, bound where the connection file says. Heartbeat, stdin and iopub are
 * jjava's; shell and control are {@link ShellSocket}s (blocking poll, signature failures dropped,
 * stop-on-error), which jjava-jupyter 1.0-a6's {@code JupyterConnection} creates as plain
 * {@code ShellChannel}s with no way to replace them, so this subclass binds its own instead.
 */
public final class KernelConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final ShellSocket shell;
    private final ShellSocket control;
    private volatile boolean abortRequested;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The sockets of a connection file, not yet bound.
     *
     * @throws GeneralSecurityException if the file's signature scheme is not available
     */
    public KernelConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shell = new ShellSocket(context, hmac, "shell", props.getShellPort(), this);
        this.control = new ShellSocket(context, hmac, "control", props.getControlPort(), this);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        shell.bind(props);
        control.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    /** Asks the shell socket to abort the execute requests queued now (a cell failed with stop_on_error). */
    public void abortQueuedCells() {
        abortRequested = true;
    }

    /** Whether an abort was asked for since the last call. */
    boolean takeAbortRequest() {
        boolean requested = abortRequested;
        abortRequested = false;
        return requested;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shell.stop();
        control.stop();
        shell.close();
        control.close();
        super.close();
        context.close();
    }

    @Override
    public void waitUntilClose() {
        shell.waitUntilClose();
        control.waitUntilClose();
    }
}
