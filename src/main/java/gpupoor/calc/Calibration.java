package gpupoor.calc;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fitted efficiencies and runtime constants of the default method, as data (the bundled ones
 * come from {@code catalog/calibration.csv}, with how each value was obtained). A value is looked
 * up for a framework and a device class, falling back to any framework ({@code *}) and any device.
 *
 * @param entries the values by {@link Entry#key()}
 */
public record Calibration(Map<String, Entry> entries) {

    /**
     * One calibrated value.
     *
     * @param parameter  what it is, e.g. {@code decode_bw_eff}
     * @param framework  framework id or {@code *}
     * @param device     device class id or {@code *}
     * @param value      the value
     * @param unit       its unit
     * @param source     how it was obtained (fitted on which rows, or from which documentation)
     */
    public record Entry(String parameter, String framework, String device, double value, String unit, String source) {
        /** {@code parameter|framework|device}. */
        public String key() {
            return parameter + "|" + framework + "|" + device;
        }
    }

    /** Copies the map. */
    public Calibration {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** A calibration holding {@code list}. */
    public static Calibration of(Collection<Entry> list) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : list) {
            m.put(e.key(), e);
        }
        return new Calibration(m);
    }

    /**
     * The value of {@code parameter} for a framework and a device class (either may be null: any).
     *
     * @throws IllegalStateException when the calibration has no value that applies
     */
    public double get(String parameter, Framework framework, DeviceClass device) {
        return entry(parameter, framework, device).value();
    }

    /** The entry that applies (see {@link #get}); each look-up is resolved once per calibration. */
    public Entry entry(String parameter, Framework framework, DeviceClass device) {
        return RESOLVED.get(this).computeIfAbsent(new Lookup(parameter, framework, device),
                k -> resolve(parameter, framework, device));
    }

    /** A look-up's arguments. */
    private record Lookup(String parameter, Framework framework, DeviceClass device) {
    }

    /** Resolved look-ups of the calibrations used last (one per method, in practice). */
    private static final IdentityCache<Calibration, Map<Lookup, Entry>> RESOLVED =
            new IdentityCache<>(8, c -> new ConcurrentHashMap<>());

    private Entry resolve(String parameter, Framework framework, DeviceClass device) {
        String f = framework == null ? "*" : framework.id();
        String d = device == null ? "*" : device.id();
        for (String key : new String[]{parameter + "|" + f + "|" + d, parameter + "|" + f + "|*",
                parameter + "|*|" + d, parameter + "|*|*"}) {
            Entry e = entries.get(key);
            if (e != null) {
                return e;
            }
        }
        throw new IllegalStateException("the calibration has no value for " + parameter + " (framework " + f
                + ", device " + d + ")");
    }

    /** A copy with one value replaced (or added); used when fitting. */
    public Calibration with(String parameter, String framework, String device, double value) {
        Map<String, Entry> m = new LinkedHashMap<>(entries);
        Entry old = m.get(parameter + "|" + framework + "|" + device);
        Entry e = new Entry(parameter, framework, device, value, old == null ? "" : old.unit(),
                old == null ? "" : old.source());
        m.put(e.key(), e);
        return new Calibration(m);
    }
}
