package gpupoor.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.spi.SPIResolutionException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs snippets in the kernel's JVM and keeps their values as objects. JShell's own local engine
 * hands back only a value's {@code String}; this control stores the object under a key and returns
 * the key, which JShell reports as the snippet's value, so the kernel can render the real object.
 * Each snippet runs on a cell thread ({@link CellThreads}), which an interrupt stops; a failure keeps the original
 * {@link Throwable} for the error report.
 */
final class InProcessExecutionControl extends DirectExecutionControl {
    /** Exception "class name" JShell reports for a cancelled cell (with a space, so no class can have it). */
    static final String INTERRUPTED = "Cell interrupted";

    private static final String KEY_PREFIX = "value#";
    private static final Object NULL = new Object();

    private final SnippetLoader loader;
    private final CellThreads threads;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile boolean interrupted;
    private volatile boolean stillRunning;
    private volatile Throwable lastFailure;

    InProcessExecutionControl(SnippetLoader loader) {
        super(loader);
        this.loader = loader;
        this.threads = new CellThreads(loader.classLoader());
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
        try {
            Object value = threads.run(() -> doit.invoke(null));
            String key = KEY_PREFIX + keys.incrementAndGet();
            values.put(key, value == null ? NULL : value);
            return key;
        } catch (CellThreads.Interrupted e) {
            interrupted = true;
            stillRunning = e.stillRunning();
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e.getCause();
            if (cause instanceof SPIResolutionException unresolved) {
                throw new ResolutionException(unresolved.id(), unresolved.getStackTrace());
            }
            lastFailure = cause;
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
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
        stillRunning = false;
    }

    /**
     * Interrupts the cell: the running snippet is interrupted, then stopped if it does not end
     * ({@link CellThreads}), and no further snippet of the cell runs.
     */
    void interrupt() {
        interrupted = true;
        threads.interrupt();
    }

    /** Whether the interrupted cell's code could not be stopped and runs on in the background. */
    boolean interruptedButStillRunning() {
        return stillRunning;
    }

    /** The threads that run cell code (widget callbacks run there too). */
    CellThreads threads() {
        return threads;
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        threads.interrupt();
        super.close();
    }

    /** The class loader of snippet classes. */
    ClassLoader classLoader() {
        return loader.classLoader();
    }
}
