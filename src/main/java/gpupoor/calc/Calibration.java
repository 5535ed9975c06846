package gpupoor.calc;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The entry that applies (see {@link #get}); every look-up is resolved once per calibration. */
    public Entry entry(String parameter, Framework framework, DeviceClass device) {
        Entry[] byTarget = RESOLVED.get(this).get(parameter);
        Entry e = byTarget == null ? null : byTarget[slot(framework, device)];
        if (e == null) {
            return resolve(parameter, framework, device);
        }
        return e;
    }

    /** The index of a (framework or null, device class or null) pair in a resolved parameter's row. */
    private static int slot(Framework framework, DeviceClass device) {
        return (framework == null ? 0 : framework.ordinal() + 1) * (DEVICES.length + 1)
                + (device == null ? 0 : device.ordinal() + 1);
    }

    private static final Framework[] FRAMEWORKS = Framework.values();
    private static final DeviceClass[] DEVICES = DeviceClass.values();

    /**
     * Resolved look-ups of the calibrations used last (one per method, in practice): for each
     * parameter, the entry that applies to every (framework or any, device class or any) pair,
     * indexed by {@link #slot}; null where none applies.
     */
    private static final IdentityCache<Calibration, Map<String, Entry[]>> RESOLVED =
            new IdentityCache<>(8, Calibration::resolveAll);

    private Map<String, Entry[]> resolveAll() {
        Map<String, Entry[]> table = new HashMap<>();
        for (Entry p : entries.values()) {
            table.computeIfAbsent(p.parameter(), parameter -> {
                Entry[] row = new Entry[(FRAMEWORKS.length + 1) * (DEVICES.length + 1)];
                for (int f = -1; f < FRAMEWORKS.length; f++) {
                    for (int d = -1; d < DEVICES.length; d++) {
                        Framework fw = f < 0 ? null : FRAMEWORKS[f];
                        DeviceClass dc = d < 0 ? null : DEVICES[d];
                        row[slot(fw, dc)] = find(parameter, fw, dc);
                    }
                }
                return row;
            });
        }
        return Map.copyOf(table);
    }

    /** The entry that applies, or the error saying none does. */
    private Entry resolve(String parameter, Framework framework, DeviceClass device) {
        Entry e = find(parameter, framework, device);
        if (e == null) {
            throw new IllegalStateException("the calibration has no value for " + parameter + " (framework "
                    + (framework == null ? "*" : framework.id()) + ", device " + (device == null ? "*" : device.id()) + ")");
        }
        return e;
    }

    /** The most specific entry for the pair: exact, any device, any framework, then any of both; null if none. */
    private Entry find(String parameter, Framework framework, DeviceClass device) {
        String f = framework == null ? "*" : framework.id();
        String d = device == null ? "*" : device.id();
        for (String key : new String[]{parameter + "|" + f + "|" + d, parameter + "|" + f + "|*",
                parameter + "|*|" + d, parameter + "|*|*"}) {
            Entry e = entries.get(key);
            if (e != null) {
                return e;
            }
        }
        return null;
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
