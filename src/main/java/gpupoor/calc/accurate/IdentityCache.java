package gpupoor.calc.accurate;

import java.util.function.Function;

/**
 * A small cache of values derived from objects that are reused as they are (a sweep estimates many
 * scenarios of the same few models): keys are compared by identity, so a look-up costs a few
 * reference comparisons and never hashes a key's contents. It holds the most recent
 * {@code capacity} keys, replacing the oldest; it is safe to share between threads (a race at
 * worst computes a value twice or forgets one: a slot is an immutable record, so a thread sees a
 * slot whole or not at all). Plain array reads keep a look-up cheap in C1-compiled code, where a
 * sweep in the kernel runs.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class IdentityCache<K, V> {

    private record Slot<K, V>(K key, V value) {
    }

    private final Slot<K, V>[] slots;
    private int next;
    private final Function<K, V> compute;

    /**
     * A cache of {@code compute}'s results for up to {@code capacity} keys.
     *
     * @param capacity how many keys it remembers
     * @param compute  the derivation (must depend on the key alone)
     */
    public IdentityCache(int capacity, Function<K, V> compute) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        @SuppressWarnings("unchecked")
        Slot<K, V>[] empty = (Slot<K, V>[]) new Slot<?, ?>[capacity];
        this.slots = empty;
        this.compute = compute;
    }

    /** The value for {@code key}, computed on first use (and again once it was replaced). */
    public V get(K key) {
        for (Slot<K, V> slot : slots) {
            if (slot != null && slot.key() == key) {
                return slot.value();
            }
        }
        V value = compute.apply(key);
        int at = Math.floorMod(next++, slots.length);
        slots[at] = new Slot<>(key, value);
        return value;
    }
}
