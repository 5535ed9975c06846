package gpupoor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rows of a file worked on every core a batch at a time, each handed on with its result in the
 * file's order: memory stays flat however long the file ({@code estimate --csv}, {@code validate --data}).
 * A reader thread reads the next batches while the current one is worked on.
 */
final class RowBatches {
    /** Rows read, worked on in parallel and handed on together (few enough that the rows in flight die young). */
    static final int SIZE = 256;

    /** Batches read ahead of the one being worked on. */
    private static final int AHEAD = 2;

    private RowBatches() {
    }

    /**
     * Reads rows from {@code next} until it gives null (on a reader thread: {@code next} is called
     * from no other), computes {@code work} for each (in parallel; it must not share state unsafely)
     * and hands row and result to {@code then}, in order, on this thread. A failure of
     * {@code next} is thrown here after the rows read before it were handed on.
     */
    static <T, R> void run(Supplier<T> next, Function<T, R> work, BiConsumer<T, R> then) {
        BlockingQueue<Batch<T>> ready = new ArrayBlockingQueue<>(AHEAD);
        Thread reader = new Thread(() -> read(next, ready), "gpupoor-rows");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Batch<T> b = take(ready); ; b = take(ready)) {
                List<R> results = b.rows().parallelStream().map(work).toList();
                for (int i = 0; i < results.size(); i++) {
                    then.accept(b.rows().get(i), results.get(i));
                }
                if (b.failure() instanceof RuntimeException e) {
                    throw e;
                }
                if (b.failure() instanceof Error e) {
                    throw e;
                }
                if (b.last()) {
                    return;
                }
            }
        } finally {
            reader.interrupt();
            joinUninterruptibly(reader);
        }
    }

    /** Rows read; the last batch says so, and carries what stopped the reading if it failed. */
    private record Batch<T>(List<T> rows, boolean last, Throwable failure) {
    }

    private static <T> void read(Supplier<T> next, BlockingQueue<Batch<T>> ready) {
        List<T> rows = new ArrayList<>(SIZE);
        Throwable failure = null;
        try {
            for (T row = next.get(); row != null; row = next.get()) {
                rows.add(row);
                if (rows.size() == SIZE) {
                    ready.put(new Batch<>(rows, false, null));
                    rows = new ArrayList<>(SIZE);
                }
            }
        } catch (InterruptedException e) {
            return; // the consumer stopped
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            ready.put(new Batch<>(rows, true, failure));
        } catch (InterruptedException e) {
            // the consumer stopped
        }
    }

    private static <T> Batch<T> take(BlockingQueue<Batch<T>> ready) {
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading rows", e);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
