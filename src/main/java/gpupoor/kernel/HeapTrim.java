package gpupoor.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Gives memory back to the system after a cell needed much of it (an OutOfMemoryError, a big
 * sweep): the heap grows as cells need it, and the JVM shrinks it only after a full collection. With
 * the kernelspec's {@code -Xms64m -XX:-ShrinkHeapInSteps -XX:MaxHeapFreeRatio=70} one collection
 * brings the committed heap back to at most 70% free (at least 64 MB). The JVM's own collections
 * during a cell shrink it as far, so the ratio is not lower: at 40 every million-point sweep shrank
 * the heap it had grown, then grew it again through full collections (0.15–0.2 s of a 1.2 s sweep).
 * After an OutOfMemoryError the collection runs at once; otherwise when the kernel has been idle
 * for {@value #IDLE_MS} ms and most of the heap is free.
 */
final class HeapTrim {
    /** How long the kernel must be idle before a trim. */
    static final long IDLE_MS = 2000;
    /** Free heap worth a collection (bytes); less is not worth one. */
    static final long WORTH_BYTES = 256L << 20;

    private final BooleanSupplier idle;
    private final AtomicLong cells = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-trim");
        t.setDaemon(true);
        return t;
    });

    /** A trimmer that collects only while {@code idle} says no cell is running. */
    HeapTrim(BooleanSupplier idle) {
        this.idle = idle;
    }

    /** After a cell that ran out of memory: collect now, so the heap it grew to is given back. */
    void afterOutOfMemory() {
        cells.incrementAndGet();
        System.gc();
    }

    /** After any other cell: collect later if the kernel stays idle and much of the heap is free. */
    void afterCell() {
        long cell = cells.incrementAndGet();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        if (heap.getCommitted() - heap.getUsed() < WORTH_BYTES) {
            return;
        }
        timer.schedule(() -> {
            if (cells.get() == cell && idle.getAsBoolean()) {
                System.gc();
            }
        }, IDLE_MS, TimeUnit.MILLISECONDS);
    }
}
