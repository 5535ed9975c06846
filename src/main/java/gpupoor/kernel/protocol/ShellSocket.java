package gpupoor.kernel.protocol;

import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.zeromq.ZMQ;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell or control socket. Works around three limits of jjava-jupyter 1.0-a6's
 * {@code ShellChannel} (upstream: {@code channels/ShellChannel.java}, unchanged in 1.0-a7):
 * <ul>
 *   <li>its loop polls with {@code poll(0)} and sleeps {@code SHELL_DEFAULT_LOOP_SLEEP_MS} = 50 ms
 *       between polls, adding up to 50 ms to every request; this one blocks in {@code poll} until a
 *       message arrives;</li>
 *   <li>a message with a bad or missing signature makes {@code readMessage} throw a
 *       {@code SecurityException} that ends the loop, so one forged message deafens the kernel;
 *       this one drops and logs such messages;</li>
 *   <li>it has no notion of {@code stop_on_error}; after a cell fails with it this one aborts the
 *       cells already queued, as IPython does.</li>
 * </ul>
 */
final class ShellSocket extends ShellChannel {
    private static final Logger LOG = Logger.getLogger(ShellSocket.class.getName());
    /** How often the loop checks whether it should stop. */
    private static final int POLL_MS = 100;

    private final KernelConnection connection;
    private final String name;
    private final int port;
    private volatile boolean running;
    private Thread loop;
    /** The loop thread's poller (used only by that thread). */
    private ZMQ.Poller poller;

    ShellSocket(ZMQ.Context context, HMACGenerator hmac, String name, int port, KernelConnection connection) {
        super(context, hmac, name.equals("control"), connection);
        this.connection = connection;
        this.name = name;
        this.port = port;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        bind(formatAddress(props.getTransport(), props.getIp(), port));
        running = true;
        loop = new Thread(this::serve, "jupyter-" + name);
        loop.start();
    }

    private void serve() {
        poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        while (running) {
            try {
                if (poller.poll(POLL_MS) > 0 && running) {
                    Message<?> message = receive();
                    if (message != null) {
                        dispatch(message);
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.log(Level.WARNING, "error on the " + name + " socket", e);
            }
        }
        poller.close();
    }

    /** The next message, or null if it was dropped for its signature. */
    private Message<?> receive() {
        try {
            return readMessage();
        } catch (SecurityException e) {
            LOG.warning("dropped a message with a bad or missing signature on the " + name + " socket");
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(Message<?> message) {
        MessageType<?> type = message.getHeader().getType();
        ShellHandler handler = connection.getHandler(type);
        if (handler == null) {
            LOG.fine("no handler for " + type.getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "failed to handle " + type.getName(), e);
        } finally {
            if (connection.takeAbortRequest()) {
                // Before the failed cell's reply goes out: whatever is queued now was sent before
                // the client could know of the failure (e.g. the rest of "Run All").
                abortQueued();
            }
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /** Answers the execute requests already waiting with {@code aborted}; handles other messages normally. */
    private void abortQueued() {
        while (running && poller.poll(0) > 0) {
            Message<?> message = receive();
            if (message == null) {
                continue;
            }
            if (message.getHeader().getType() != MessageType.EXECUTE_REQUEST) {
                dispatch(message);
                continue;
            }
            ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
            env.setBusyDeferIdle();
            env.reply(MapReply.of(message, ExecuteReply.MESSAGE_TYPE, Map.of("status", "aborted")));
            env.resolveDeferrals();
        }
    }

    /** Makes the loop stop within {@link #POLL_MS}; waits for it unless called from the loop itself. */
    void stop() {
        running = false;
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2L * POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
