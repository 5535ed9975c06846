package gpupoor.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.spi.SPIResolutionException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs snippets in the kernel's JVM and keeps their values as objects. JShell's own local engine
 * hands back only a value's {@code String}; this control stores the object under a key and returns
 * the key, which JShell reports as the snippet's value, so the kernel can render the real object.
 * Each snippet runs on a cell thread, which an interrupt cancels; a failure keeps the original
 * {@link Throwable} for the error report.
 */
final class InProcessExecutionControl extends DirectExecutionControl {
    /** Exception "class name" JShell reports for a cancelled cell (with a space, so no class can have it). */
    static final String INTERRUPTED = "Cell interrupted";

    private static final String KEY_PREFIX = "value#";
    private static final Object NULL = new Object();

    private final SnippetLoader loader;
    private final ExecutorService cells;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile Future<?> running;
    private volatile boolean interrupted;
    private volatile Throwable lastFailure;

    InProcessExecutionControl(SnippetLoader loader) {
        super(loader);
        this.loader = loader;
        AtomicLong threads = new AtomicLong();
        this.cells = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cell-" + threads.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader.classLoader());
            return t;
        });
    }

    /** A provider that hands this control to {@code JShell.builder().executionEngine(..)}. */
    ExecutionControlProvider provider() {
        InProcessExecutionControl control = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "gpupoor-in-process";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (interrupted) {
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        }
        Future<Object> task = cells.submit(() -> doit.invoke(null));
        running = task;
        if (interrupted) {
            // interrupt() may have looked for a running task just before this one was set
            task.cancel(true);
        }
        try {
            Object value = task.get();
            String key = KEY_PREFIX + keys.incrementAndGet();
            values.put(key, value == null ? NULL : value);
            return key;
        } catch (CancellationException e) {
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e.getCause();
            if (cause instanceof SPIResolutionException unresolved) {
                throw new ResolutionException(unresolved.id(), unresolved.getStackTrace());
            }
            lastFailure = cause;
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running = null;
        }
    }

    /**
     * The object a snippet produced, given the key JShell reported as its value; removes it.
     *
     * @return the value (possibly null), or {@code absent} when the key is not one of ours
     */
    Object takeValue(String key, Object absent) {
        Object v = key == null ? null : values.remove(key);
        if (v == null) {
            return absent;
        }
        return v == NULL ? null : v;
    }

    /** Drops values nobody took (from snippets whose value the kernel does not show). */
    void dropValues() {
        values.clear();
    }

    /** The exception the last failed snippet threw, once; null if none. */
    Throwable takeFailure() {
        Throwable t = lastFailure;
        lastFailure = null;
        return t;
    }

    /** A new cell starts: an interrupt of the previous one no longer applies. */
    void beginCell() {
        interrupted = false;
    }

    /**
     * Interrupts the cell: the running snippet is cancelled (its thread interrupted; the cell ends at
     * once) and no further snippet of the cell runs.
     */
    void interrupt() {
        interrupted = true;
        Future<?> task = running;
        if (task != null) {
            task.cancel(true);
        }
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        cells.shutdownNow();
        super.close();
    }

    /** The class loader of snippet classes. */
    ClassLoader classLoader() {
        return loader.classLoader();
    }
}
