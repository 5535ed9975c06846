package gpupoor.calc;

/** A way of estimating memory, speed and training time for a scenario. */
public interface Method {
    /** The id used on the command line: {@code gpu-poor} or {@code default}. */
    String id();

    /**
     * Estimates the scenario.
     *
     * @throws InvalidScenarioException when the method rejects the scenario; the message says what
     *                                  was wrong and what is accepted
     */
    Estimate estimate(Scenario scenario);

    /**
     * Checks the method's own rules for a scenario (the rules every method shares were checked when
     * it was made), without estimating it; {@link #estimate} checks them too.
     *
     * @throws InvalidScenarioException saying what the method refuses and what it accepts
     */
    default void check(Scenario scenario) {
    }

    /**
     * Whether the scenario's runtime can run it on {@code n} devices of its kind (vLLM's tensor
     * parallelism splits the attention heads evenly, so only some GPU counts work); the searches
     * for the fewest devices consider only these counts.
     */
    default boolean acceptsDeviceCount(Scenario scenario, int n) {
        return true;
    }

    /** The largest device count {@link #acceptsDeviceCount} may accept for the scenario (the searches look no further). */
    default int largestDeviceCount(Scenario scenario) {
        return Fit.MAX_DEVICES;
    }

    /** How the method's numbers are rounded for JSON, CSV and display ({@link SeedFormat}). */
    default SeedRounding rounding() {
        return SeedRounding.DECIMALS;
    }
}
