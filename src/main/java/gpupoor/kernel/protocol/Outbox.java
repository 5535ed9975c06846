package gpupoor.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything a cell publishes on iopub (its stdout and stderr, display data, widget messages), in
 * order, sent by the kernel's threads only. Replaces jjava-jupyter 1.0-a6's {@code JupyterIO} streams
 * and {@code ReplyEnvironment.publish} for cell code:
 * <ul>
 *   <li><b>One message per line, unbounded.</b> 1.0-a6's {@code JupyterOutputStream} (behind
 *       {@code JupyterIO.out}, an auto-flushing {@code PrintStream}) publishes one stream message per
 *       {@code println} and buffers without limit: a cell printing 50 MB sends millions of messages
 *       and the client never sees the kernel go idle. Here streams are sent in batches (every
 *       {@value #BATCH_MS} ms or {@value #BATCH_BYTES} bytes) and capped at {@value #LIMIT_BYTES}
 *       bytes per cell; what is dropped is counted and a notice says how much.</li>
 *   <li><b>Not thread-safe.</b> 1.0-a6's {@code DefaultReplyEnvironment.publish} shares its
 *       {@code defer} flag and an {@code ArrayDeque} with the shell thread, but cell code runs (and
 *       prints, displays, moves progress bars) on a thread of its own.</li>
 *   <li><b>Stoppable cell threads.</b> An interrupted cell that ignores the interrupt is stopped
 *       ({@code Thread.stop}); if that landed inside {@code JupyterSocket.sendMessage} it would leave
 *       half a multipart message on the socket. Cell threads only queue; the kernel's threads send.</li>
 * </ul>
 * (Upstream: jjava-jupyter 1.0-a6, {@code channels/JupyterOutputStream}, {@code kernel/JupyterIO},
 * {@code channels/DefaultReplyEnvironment}; unchanged in 1.0-a7. No upstream issue was found.)
 */
public final class Outbox {
    /** Most bytes of stdout plus stderr one cell may send; the rest is counted and dropped. */
    public static final int LIMIT_BYTES = 5 * 1024 * 1024;
    /** A cell's stream text waits at most this long before it is sent. */
    static final int BATCH_MS = 40;
    /** Stream text of this size is sent at once, without waiting for the batch interval. */
    static final int BATCH_BYTES = 256 * 1024;

    private final JupyterSocket iopub;
    private final Object lock = new Object();
    private final Object sending = new Object();
    private final ArrayDeque<Message<?>> queue = new ArrayDeque<>();
    /** Stream bytes not yet queued, all of stream {@link #pendingStream}. */
    private byte[] pending = new byte[8192];
    private int pendingLength;
    private PublishStream.StreamType pendingStream;
    private MessageContext context;
    private long accepted;
    private long dropped;
    private volatile Predicate<Thread> muted = t -> false;
    private final Thread flusher;
    private boolean flushRequested;

    /** An outbox that sends on this iopub socket; a daemon thread sends the batches. */
    public Outbox(JupyterSocket iopub) {
        this.iopub = iopub;
        this.flusher = new Thread(this::flushLoop, "iopub-batches");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Threads whose output is dropped (e.g. an interrupted cell's thread that could not be stopped). */
    public void mute(Predicate<Thread> threads) {
        this.muted = threads;
    }

    /** A request starts: what is published belongs to it (its parent header) until {@link #end()}. */
    public void begin(MessageContext request) {
        drain();
        synchronized (lock) {
            context = request;
            accepted = 0;
            dropped = 0;
        }
    }

    /**
     * The request ends: sends what is queued, with a notice if output was dropped; later output is
     * dropped until the next {@link #begin}.
     */
    public void end() {
        long lost;
        synchronized (lock) {
            lost = dropped + pendingIncompleteTail();
        }
        if (lost > 0) {
            queueText(PublishStream.StreamType.ERR, notice(lost));
        }
        drain();
        synchronized (lock) {
            pendingLength = 0;
            context = null;
        }
    }

    /** The message a cell gets when output was dropped. */
    static String notice(long droppedBytes) {
        return String.format("%n[output truncated: %s more of stdout/stderr were not shown; a cell shows at most %s."
                + " Write large output to a file.]%n", size(droppedBytes), size(LIMIT_BYTES));
    }

    private static String size(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format("%.1f MB", bytes / (1024.0 * 1024));
        }
        return bytes >= 1024 ? String.format("%.1f KB", bytes / 1024.0) : bytes + " bytes";
    }

    /** The stream that goes to the running request's stdout. */
    public OutputStream stdout() {
        return new Stream(PublishStream.StreamType.OUT);
    }

    /** The stream that goes to the running request's stderr. */
    public OutputStream stderr() {
        return new Stream(PublishStream.StreamType.ERR);
    }

    /** Queues a message for the running request after the output before it; any thread may call. */
    public <T extends ContentType<T>> void publish(T content) {
        publish(content.getType(), content, null);
    }

    /**
     * Queues a message with the given type, content and metadata for the running request (or, with no
     * request running, for none: a comm message the front end sent between cells).
     */
    public void publish(MessageType<?> type, Object content, Map<String, Object> metadata) {
        synchronized (lock) {
            if (muted.test(Thread.currentThread())) {
                return;
            }
            queuePendingStream();
            queue.add(message(type, content, metadata));
        }
        requestFlush();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> message(MessageType<?> type, Object content, Map<String, Object> metadata) {
        return new Message(context, type, content, null, metadata);
    }

    /**
     * Sends everything queued now, on the calling thread; the kernel calls it before it publishes a
     * result, an error or a reply itself, so they come after the cell's output.
     */
    public void drain() {
        synchronized (sending) {
            List<Message<?>> batch = new ArrayList<>();
            synchronized (lock) {
                queuePendingStream();
                batch.addAll(queue);
                queue.clear();
            }
            for (Message<?> m : batch) {
                iopub.sendMessage(m);
            }
        }
    }

    private void write(PublishStream.StreamType stream, byte[] b, int off, int len) {
        boolean big;
        synchronized (lock) {
            if (context == null || muted.test(Thread.currentThread())) {
                return;
            }
            long room = LIMIT_BYTES - accepted;
            int take = (int) Math.max(0, Math.min(len, room));
            dropped += len - take;
            if (take == 0) {
                return;
            }
            accepted += take;
            if (pendingStream != stream) {
                queuePendingStream();
                pendingStream = stream;
            }
            if (pendingLength + take > pending.length) {
                pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + take));
            }
            System.arraycopy(b, off, pending, pendingLength, take);
            pendingLength += take;
            big = pendingLength >= BATCH_BYTES;
        }
        requestFlush(big);
    }

    /** Queues stream text outside the limit (the kernel's own notices). */
    private void queueText(PublishStream.StreamType stream, String text) {
        synchronized (lock) {
            if (context == null) {
                return;
            }
            queuePendingStream();
            queue.add(message(PublishStream.MESSAGE_TYPE, new PublishStream(stream, text), null));
        }
    }

    /** Moves the pending stream text, up to its last complete UTF-8 character, into the queue. Holds {@link #lock}. */
    private void queuePendingStream() {
        if (pendingLength == 0 || context == null) {
            return;
        }
        int complete = completeUtf8(pending, pendingLength);
        if (complete == 0) {
            return;
        }
        String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        queue.add(message(PublishStream.MESSAGE_TYPE, new PublishStream(pendingStream, text), null));
    }

    /** Bytes at the end of the pending text that do not form a whole character (dropped at the end). Holds {@link #lock}. */
    private int pendingIncompleteTail() {
        return pendingLength - completeUtf8(pending, pendingLength);
    }

    /** The length of the longest prefix of {@code b[0, n)} that does not end inside a UTF-8 sequence. */
    static int completeUtf8(byte[] b, int n) {
        int i = n - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return n;
        }
        int lead = b[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return needed > continuation ? i : n;
    }

    private void requestFlush() {
        requestFlush(false);
    }

    private void requestFlush(boolean now) {
        synchronized (lock) {
            if (!flushRequested || now) {
                flushRequested = true;
                lock.notifyAll();
            }
        }
    }

    private void flushLoop() {
        while (true) {
            try {
                synchronized (lock) {
                    while (!flushRequested) {
                        lock.wait();
                    }
                    if (pendingLength < BATCH_BYTES) {
                        lock.wait(BATCH_MS); // collect a batch (a big one wakes us early)
                    }
                    flushRequested = false;
                }
                drain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(Outbox.class.getName()).warning("cannot send cell output: " + e);
            }
        }
    }

    /** One of a cell's standard streams. */
    private final class Stream extends OutputStream {
        private final PublishStream.StreamType type;

        Stream(PublishStream.StreamType type) {
            this.type = type;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Outbox.this.write(type, b, off, len);
        }
    }
}
