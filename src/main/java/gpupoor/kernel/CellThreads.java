package gpupoor.kernel;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Runs user code (a cell's snippets, a widget's callbacks) on a thread of its own, one task at a
 * time, and stops it for real when the user interrupts: the thread is interrupted first (sleeps,
 * I/O and the DSL's loops end at once); code that ignores that is stopped with {@code Thread.stop}
 * after {@value #GRACE_MS} ms, so no interrupted cell keeps running and printing into later cells.
 * Where the JVM has no {@code Thread.stop} (Java 20 and later), or the thread does not end (stuck in
 * native code), it is abandoned: its output is no longer shown and the interrupted cell says so.
 */
final class CellThreads {
    private static final Logger LOG = Logger.getLogger(CellThreads.class.getName());
    /** How long interrupted code gets to end by itself before its thread is stopped. */
    static final long GRACE_MS = 500;
    /** How long a stopped thread gets to unwind before it is abandoned. */
    static final long STOP_MS = 1000;

    private final ClassLoader contextLoader;
    private final AtomicLong count = new AtomicLong();
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
    private volatile Task running;

    /** Threads whose context class loader is the snippets' loader. */
    CellThreads(ClassLoader contextLoader) {
        this.contextLoader = contextLoader;
    }

    /** Thrown by {@link #run} when the task was interrupted. */
    static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean stillRunning;

        Interrupted(boolean stillRunning) {
            super(stillRunning ? "interrupted, but still running" : "interrupted", null, false, false);
            this.stillRunning = stillRunning;
        }

        /** Whether the code could not be stopped and goes on in the background (muted). */
        boolean stillRunning() {
            return stillRunning;
        }
    }

    /**
     * Runs the task on a new cell thread and waits for it.
     *
     * @return what it returned
     * @throws ExecutionException with what it threw
     * @throws Interrupted        when {@link #interrupt()} ended it (or gave up on it)
     */
    <T> T run(Callable<T> task) throws ExecutionException, Interrupted {
        Task t = new Task(task);
        Thread thread = new Thread(t.future, "cell-" + count.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(contextLoader);
        t.thread = thread;
        running = t;
        try {
            thread.start();
            while (true) {
                try {
                    @SuppressWarnings("unchecked")
                    T value = (T) t.future.get(50, TimeUnit.MILLISECONDS);
                    if (t.interrupted) {
                        throw new Interrupted(false);
                    }
                    return value;
                } catch (TimeoutException e) {
                    if (t.abandoned) {
                        throw new Interrupted(true);
                    }
                } catch (ExecutionException e) {
                    if (t.interrupted) {
                        throw new Interrupted(false);
                    }
                    throw e;
                } catch (InterruptedException e) {
                    // the waiting (shell) thread itself is interrupted only at shutdown
                    Thread.currentThread().interrupt();
                    interrupt();
                    throw new Interrupted(true);
                }
            }
        } finally {
            running = null;
        }
    }

    /** Interrupts the running task, then stops its thread if it does not end (in the background). */
    void interrupt() {
        Task t = running;
        if (t == null || t.interrupted) {
            return;
        }
        t.interrupted = true;
        t.thread.interrupt();
        Thread stopper = new Thread(() -> stop(t), "cell-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    @SuppressWarnings({"removal", "deprecation"})
    private void stop(Task t) {
        try {
            t.thread.join(GRACE_MS);
            if (!t.thread.isAlive()) {
                return;
            }
            try {
                t.thread.stop();
                t.thread.join(STOP_MS);
            } catch (UnsupportedOperationException e) {
                LOG.fine("Thread.stop is not available on this JVM: " + e);
            }
            if (t.thread.isAlive()) {
                abandoned.add(t.thread);
                t.abandoned = true;
                LOG.warning("an interrupted cell could not be stopped; its thread " + t.thread.getName()
                        + " keeps running in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the thread runs code that an interrupt could not stop (its output is dropped). */
    boolean isAbandoned(Thread thread) {
        if (abandoned.isEmpty()) {
            return false;
        }
        abandoned.removeIf(t -> !t.isAlive());
        return abandoned.contains(thread);
    }

    /** A task, its thread and what happened to it. */
    private static final class Task {
        final FutureTask<Object> future;
        Thread thread;
        volatile boolean interrupted;
        volatile boolean abandoned;

        @SuppressWarnings("unchecked")
        Task(Callable<?> task) {
            this.future = new FutureTask<>((Callable<Object>) task);
        }
    }
}
