package gpupoor.dsl;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunks of points on every core: each point done exactly once before run returns, and an interrupt stops all. */
class ParallelTest {

    @Test
    void everyPointIsDoneOnceBeforeRunReturns() {
        for (int round = 0; round < 20; round++) {
            int n = 2_000 + round;
            AtomicIntegerArray times = new AtomicIntegerArray(n);
            Parallel.run(n, 64, new Progress("test", n, false), (chunk, from, to) -> {
                assertEquals(chunk * 64, from);
                sleep(chunk % 3); // chunks of unequal length, so the last ones end on different threads
                for (int i = from; i < to; i++) {
                    times.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, times.get(i), "point " + i + " in round " + round);
            }
        }
    }

    @Test
    void anInterruptStopsEveryThreadWithinAChunk() {
        AtomicLong points = new AtomicLong();
        Thread.currentThread().interrupt();
        try {
            CancellationException e = assertThrows(CancellationException.class,
                    () -> Parallel.run(100_000, 10, new Progress("test", 100_000, false), (chunk, from, to) -> {
                        points.addAndGet(to - from);
                        sleep(1);
                    }));
            assertTrue(e.getMessage().startsWith("test interrupted after "), e.getMessage());
        } finally {
            Thread.interrupted();
        }
        sleep(50); // helpers end after the chunk they were in
        long after = points.get();
        sleep(50);
        assertEquals(after, points.get(), "a helper kept going after the interrupt");
        assertTrue(after < 1_000, after + " points done after an interrupt before the first chunk ended");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
