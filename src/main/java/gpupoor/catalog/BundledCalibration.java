package gpupoor.catalog;

import gpupoor.calc.accurate.Calibration;
import gpupoor.calc.accurate.CalibrationSource;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calibration bundled in {@code catalog/calibration.csv} (columns parameter, framework, device,
 * value, unit, source; see {@code catalog/calibration.md}), found by the engine through
 * {@link java.util.ServiceLoader}.
 */
public final class BundledCalibration implements CalibrationSource {

    /** The classpath resource. */
    public static final String RESOURCE = "catalog/calibration.csv";

    /** Needed by {@link java.util.ServiceLoader}. */
    public BundledCalibration() {
    }

    @Override
    public Calibration calibration() {
        return read(Catalog.resource(RESOURCE), RESOURCE);
    }

    /**
     * Reads a calibration CSV.
     *
     * @throws IllegalArgumentException naming the row whose value is not a number
     */
    public static Calibration read(InputStream in, String what) {
        List<Calibration.Entry> entries = new ArrayList<>();
        int line = 1;
        for (Map<String, String> r : Csv.read(in, what)) {
            line++;
            String value = r.getOrDefault("value", "").trim();
            Calibration.Param parameter;
            try {
                parameter = Calibration.Param.parse(r.getOrDefault("parameter", "").trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " line " + line + ": " + e.getMessage());
            }
            try {
                entries.add(new Calibration.Entry(parameter, r.get("framework").trim(), r.get("device").trim(),
                        Double.parseDouble(value), r.getOrDefault("unit", ""), r.getOrDefault("source", "")));
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException(what + " line " + line + ": value '" + value + "' is not a number");
            }
        }
        return Calibration.of(entries);
    }
}
