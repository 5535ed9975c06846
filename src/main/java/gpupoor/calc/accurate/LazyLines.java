package gpupoor.calc.accurate;

import java.util.AbstractList;
import java.util.List;

/**
 * An unmodifiable list of text lines written only when first read: estimates explain themselves
 * in words ({@link Estimate#assumptions()}, {@link Estimate#notes()}), and a sweep of a million
 * scenarios should not format sentences nobody reads. The lines must depend only on values fixed
 * when the list is made. Safe to share between threads (a race at worst writes the lines twice).
 *
 * <p>Each use is an anonymous subclass rather than a lambda: the kernel's JIT (C1 only) makes a
 * capturing lambda through a method handle at about 15 times the cost of a plain object, and an
 * estimate makes several of these lists.
 */
abstract class LazyLines extends AbstractList<String> {

    private volatile List<String> lines;

    /** The lines, written on first use. */
    abstract List<String> write();

    private List<String> lines() {
        List<String> l = lines;
        if (l == null) {
            l = List.copyOf(write());
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
