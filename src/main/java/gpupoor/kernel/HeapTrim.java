package gpupoor.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives memory back to the system after cells needed much of it (an OutOfMemoryError, big sweeps),
 * but not while they run. The kernelspec's {@code -XX:MaxHeapFreeRatio=70} lets a collection during a
 * cell shrink the heap only to 70% free, since shrinking it further would make the next big
 * allocation grow it again through full collections (at 40, each million-point sweep shrank and
 * regrew the heap: 0.15–0.3 s of a 1.2 s sweep). The trim is one collection with the ratio lowered
 * to {@value #TRIM_FREE_PERCENT} for its duration ({@code MaxHeapFreeRatio} is a manageable flag),
 * which brings the committed heap back to at most that share free (at least {@code -Xms}). After an
 * OutOfMemoryError it runs at once; otherwise when the kernel has been idle for {@value #IDLE_MS} ms
 * and the heap has grown by {@value #WORTH_BYTES} bytes or more since the last trim (what is in use
 * after a cell says little: a sweep's garbage counts until a collection).
 */
final class HeapTrim {
    private static final Logger LOG = Logger.getLogger(HeapTrim.class.getName());
    /** How long the kernel must be idle before a trim. */
    static final long IDLE_MS = 2000;
    /** Growth of the committed heap since the last trim worth a collection (bytes); less is not worth one. */
    static final long WORTH_BYTES = 256L << 20;
    /** The most of the heap a trim leaves free, in percent. */
    static final int TRIM_FREE_PERCENT = 40;
    private static final String RATIO = "MaxHeapFreeRatio";

    private final BooleanSupplier idle;
    private final AtomicLong cells = new AtomicLong();
    /** The committed heap after the last trim (0 before the first). */
    private volatile long trimmedTo;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-trim");
        t.setDaemon(true);
        return t;
    });

    /** A trimmer that collects only while {@code idle} says no cell is running. */
    HeapTrim(BooleanSupplier idle) {
        this.idle = idle;
    }

    /** After a cell that ran out of memory: trim now, so the heap it grew to is given back. */
    void afterOutOfMemory() {
        cells.incrementAndGet();
        trim();
    }

    /** After any other cell: trim later if the kernel stays idle and the heap has grown much since the last trim. */
    void afterCell() {
        long cell = cells.incrementAndGet();
        if (committed() - trimmedTo < WORTH_BYTES) {
            return;
        }
        timer.schedule(() -> {
            if (cells.get() == cell && idle.getAsBoolean()) {
                trim();
            }
        }, IDLE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * One collection that may shrink the heap to {@value #TRIM_FREE_PERCENT}% free, the ratio set
     * back afterwards. On a JVM without the flag (or where it cannot be set) a plain collection.
     */
    void trim() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String kept = null;
        try {
            kept = vm.getVMOption(RATIO).getValue();
            if (Integer.parseInt(kept) > TRIM_FREE_PERCENT) {
                vm.setVMOption(RATIO, Integer.toString(TRIM_FREE_PERCENT));
            } else {
                kept = null;  // already as low: nothing to set back
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot lower " + RATIO + " for a heap trim", e);
            kept = null;
        }
        try {
            System.gc();
        } finally {
            if (kept != null) {
                vm.setVMOption(RATIO, kept);
            }
            trimmedTo = committed();
        }
    }

    private static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}
