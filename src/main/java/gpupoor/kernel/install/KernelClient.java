package gpupoor.kernel.install;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A minimal Jupyter client for driving a kernel process from Java: the installer uses it to run a
 * short session when it records the AppCDS archive. It speaks the same signed protocol as
 * jupyter_client over the shell and control sockets (it does not read iopub).
 */
final class KernelClient implements AutoCloseable {
    private final ZMQ.Context context = ZMQ.context(1);
    private final Socket shell;
    private final Socket control;
    private final String session = UUID.randomUUID().toString();

    KernelClient(KernelConnectionProperties props) throws GeneralSecurityException {
        var hmac = props.createHMACGenerator();
        shell = new Socket(context, SocketType.DEALER, hmac);
        control = new Socket(context, SocketType.DEALER, hmac);
        String base = props.getTransport() + "://" + props.getIp() + ":";
        shell.connect(base + props.getShellPort());
        control.connect(base + props.getControlPort());
    }

    /** Connection properties on loopback with free ports and a fresh key. */
    static KernelConnectionProperties loopback() throws IOException {
        int[] ports = new int[5];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return new KernelConnectionProperties("127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "tcp",
                "hmac-sha256", UUID.randomUUID().toString());
    }

    /** Writes properties as a connection file. */
    static void write(KernelConnectionProperties props, Path file) throws IOException {
        Files.writeString(file, props.toJsonString());
    }

    /**
     * Asks for {@code kernel_info} until the kernel answers.
     *
     * @throws IOException if no answer comes within {@code timeout}
     */
    void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            shell.sendMessage(new Message<>(new Header<>(session, MessageType.KERNEL_INFO_REQUEST), new KernelInfoRequest()));
            if (shell.poll(Duration.ofMillis(500)) != null) {
                while (shell.poll(Duration.ofMillis(50)) != null) {
                    // replies to the earlier, unanswered kernel_info requests
                }
                return;
            }
        }
        throw new IOException("the kernel did not answer kernel_info within " + timeout.toSeconds() + " s");
    }

    /**
     * Runs a cell and waits for its reply.
     *
     * @return whether the cell succeeded
     * @throws IOException if no reply comes within {@code timeout}
     */
    boolean execute(String code, Duration timeout) throws IOException {
        Message<ExecuteRequest> request = new Message<>(new Header<>(session, MessageType.EXECUTE_REQUEST),
                new ExecuteRequest(code, false, true, Map.of(), false, false));
        shell.sendMessage(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Message<?> reply = shell.poll(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (reply != null && reply.getParentHeader() != null
                    && request.getHeader().getId().equals(reply.getParentHeader().getId())) {
                return !reply.getHeader().getType().isError();
            }
        }
        throw new IOException("no reply from the kernel within " + timeout.toSeconds() + " s for: " + code);
    }

    /** Sends {@code shutdown_request} on the control socket and waits for its reply. */
    void shutdown(Duration timeout) {
        control.sendMessage(shutdownRequest());
        control.poll(timeout);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // jjava's ShutdownRequest has no public constructor
    private Message<?> shutdownRequest() {
        return new Message(new Header<>(session, MessageType.SHUTDOWN_REQUEST), Map.of("restart", false));
    }

    @Override
    public void close() {
        shell.close();
        control.close();
        context.close();
    }

    /** A client-side socket: connects instead of binding, reads with a timeout. */
    private static final class Socket extends JupyterSocket {
        private final ZMQ.Poller poller;

        Socket(ZMQ.Context context, SocketType type, org.dflib.jjava.jupyter.messages.HMACGenerator hmac) {
            super(context, type, hmac, LoggerFactory.getLogger(KernelClient.class));
            setLinger(0);
            poller = context.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
        }

        @Override
        public void bind(KernelConnectionProperties props) {
            throw new UnsupportedOperationException("a client socket connects");
        }

        /** The next message, or null after {@code timeout}. */
        Message<?> poll(Duration timeout) {
            return poller.poll(Math.max(1, timeout.toMillis())) > 0 ? readMessage() : null;
        }

        @Override
        public void close() {
            poller.close();
            super.close();
        }
    }
}
