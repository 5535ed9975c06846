package gpupoor.calc.accurate;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An unmodifiable list of text lines written only when first read: estimates explain themselves
 * in words ({@link Estimate#assumptions()}, {@link Estimate#notes()}), and a sweep of a million
 * scenarios should not format sentences nobody reads. The lines must depend only on values fixed
 * when the list is made. Safe to share between threads (a race at worst writes the lines twice).
 */
final class LazyLines extends AbstractList<String> {

    private final Supplier<List<String>> writer;
    private volatile List<String> lines;

    /** Lines that {@code writer} writes on first use. */
    public LazyLines(Supplier<List<String>> writer) {
        this.writer = writer;
    }

    private List<String> lines() {
        List<String> l = lines;
        if (l == null) {
            l = List.copyOf(writer.get());
            lines = l;
        }
        return l;
    }

    @Override
    public String get(int index) {
        return lines().get(index);
    }

    @Override
    public int size() {
        return lines().size();
    }
}
