package gpupoor.calc.accurate;

/**
 * Supplies the bundled {@link Calibration} to {@link Methods#DEFAULT}. The engine reads no files:
 * the catalog layer provides the implementation (found with {@link java.util.ServiceLoader}), which
 * loads {@code catalog/calibration.csv}.
 */
public interface CalibrationSource {
    /** The calibration to use. */
    Calibration calibration();
}
