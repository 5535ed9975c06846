package gpupoor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rows of a file worked on every core a batch at a time, each handed on with its result in the
 * file's order before the next batch is read: memory stays flat however long the file
 * ({@code estimate --csv}, {@code validate --data}).
 */
final class RowBatches {
    /** Rows read, worked on in parallel and handed on before the next are read. */
    static final int SIZE = 4096;

    private RowBatches() {
    }

    /**
     * Reads rows from {@code next} until it gives null, computes {@code work} for each (in parallel;
     * it must not share state unsafely) and hands row and result to {@code then}, in order, on this thread.
     */
    static <T, R> void run(Supplier<T> next, Function<T, R> work, BiConsumer<T, R> then) {
        List<T> batch = new ArrayList<>(SIZE);
        for (T row = next.get(); row != null; row = next.get()) {
            batch.add(row);
            if (batch.size() == SIZE) {
                hand(batch, work, then);
                batch.clear();
            }
        }
        hand(batch, work, then);
    }

    private static <T, R> void hand(List<T> batch, Function<T, R> work, BiConsumer<T, R> then) {
        List<R> results = batch.parallelStream().map(work).toList();
        for (int i = 0; i < batch.size(); i++) {
            then.accept(batch.get(i), results.get(i));
        }
    }
}
