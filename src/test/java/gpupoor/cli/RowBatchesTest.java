package gpupoor.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch mechanism of {@code estimate --csv} and {@code validate --data}. */
class RowBatchesTest {

    /** The integers 0 .. n-1, then null; then {@code failure} if given. */
    private static Supplier<Integer> count(int n, RuntimeException failure) {
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int i = next.getAndIncrement();
            if (i < n) {
                return i;
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        };
    }

    @Test
    void everyRowIsHandedOnWithItsResultInOrder() {
        for (int n : List.of(0, 1, RowBatches.SIZE - 1, RowBatches.SIZE, 3 * RowBatches.SIZE + 17)) {
            List<Integer> rows = new ArrayList<>();
            List<Long> results = new ArrayList<>();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            RowBatches.run(count(n, null), i -> {
                threads.add(Thread.currentThread().getName());
                return (long) i * i;
            }, (i, r) -> {
                rows.add(i);
                results.add(r);
            });
            assertEquals(n, rows.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, rows.get(i));
                assertEquals((long) i * i, results.get(i));
            }
            assertTrue(!threads.contains("gpupoor-rows"), "the reader thread only reads: " + threads);
        }
    }

    @Test
    void aFailureOfTheReadingComesAfterTheRowsBeforeIt() {
        IllegalStateException broken = new IllegalStateException("broken file");
        int n = RowBatches.SIZE + 5;
        List<Integer> rows = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> RowBatches.run(count(n, broken), i -> i, (i, r) -> rows.add(i)));
        assertSame(broken, thrown);
        assertEquals(n, rows.size());
    }

    @Test
    void aFailureOfTheConsumerStopsTheReader() throws Exception {
        AtomicInteger read = new AtomicInteger();
        Supplier<Integer> endless = read::getAndIncrement;
        IllegalArgumentException stop = new IllegalArgumentException("stop");
        assertThrows(IllegalArgumentException.class, () -> RowBatches.run(endless, i -> i, (i, r) -> {
            if (i == 10) {
                throw stop;
            }
        }));
        int after = read.get();
        Thread.sleep(50);
        // the reader has stopped: it read at most the batches it was allowed ahead, and reads no more
        assertEquals(after, read.get());
        assertTrue(after <= 4 * RowBatches.SIZE, "rows read: " + after);
    }
}
