package gpupoor.catalog;

import gpupoor.calc.Hardware;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Device names as people type them: {@code RTX 5060 Ti}, {@code 3090}, {@code amd-mi300x},
 * {@code radeon 7900 xtx}. Both the query and each device (its id, marketing name and vendor) are
 * cut into tokens at every non-alphanumeric character and between letters and digits
 * ({@code mi300x} is {@code mi 300 x}); a device matches when it has every token of the query. One
 * device whose id has exactly the query's tokens (vendor and brand words aside), or a single
 * device that matches at all, is the answer; several are suggestions, those of the kind asked for
 * first.
 */
final class DeviceNames {
    /** Words that say whose device it is rather than which: left out when ids are compared. */
    private static final Set<String> BRANDS = Set.of("nvidia", "amd", "intel", "apple", "geforce", "radeon", "instinct",
            "tesla", "gpu");

    private DeviceNames() {
    }

    /**
     * The result of a lookup.
     *
     * @param device      the device the query names, or null
     * @param suggestions devices it may mean (when {@code device} is null), best first
     */
    record Match(Hardware device, List<String> suggestions) {
        /** No device and no suggestion. */
        static final Match NONE = new Match(null, List.of());

    }

    /**
     * Matches {@code query} against {@code devices} (with their {@code vendors} by id), preferring
     * those of kind {@code preferred} (null: any).
     */
    static Match match(String query, Collection<Hardware> devices, Map<String, String> vendors, Hardware.Kind preferred) {
        List<String> q = tokens(query);
        List<String> specific = q.stream().filter(t -> !BRANDS.contains(t)).toList();
        if (specific.isEmpty()) {
            return new Match(null, List.of());
        }
        List<Hardware> matches = new ArrayList<>();
        List<Hardware> exact = new ArrayList<>();
        for (Hardware h : devices) {
            Set<String> all = new LinkedHashSet<>(tokens(h.id()));
            all.addAll(tokens(h.name()));
            all.addAll(tokens(vendors.get(h.id())));
            if (all.containsAll(q)) {
                matches.add(h);
                List<String> id = tokens(h.id()).stream().filter(t -> !BRANDS.contains(t)).toList();
                if (id.equals(specific)) {
                    exact.add(h);
                }
            }
        }
        if (exact.size() == 1) {
            return new Match(exact.get(0), List.of());
        }
        if (matches.size() == 1) {
            return new Match(matches.get(0), List.of());
        }
        matches.sort(Comparator.comparing((Hardware h) -> preferred != null && h.kind() != preferred)
                .thenComparingInt(h -> tokens(h.id()).size()).thenComparing(Hardware::id));
        return new Match(null, matches.stream().map(Hardware::id).limit(8).toList());
    }

    /** Lower-case alphanumeric tokens, split between letters and digits too. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        for (String part : s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (part.isEmpty()) {
                continue;
            }
            for (String t : part.split("(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")) {
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
