package gpupoor.calc;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a method rounds the seed's numbers for JSON, CSV and display ({@link SeedFormat}); each
 * {@link Method} supplies its own ({@link Method#rounding()}). This one, the default: MiB to 1
 * decimal, tokens/s to 1, milliseconds to 2, seconds to 2 (prompt seconds to 3).
 */
public class SeedRounding {
    /** The default rounding. */
    public static final SeedRounding DECIMALS = new SeedRounding();

    /** A memory figure in MiB. */
    public Object mib(double value) {
        return decimals(value, 1);
    }

    /** The runtime overhead in MiB. */
    public Object overheadMiB(double value) {
        return decimals(value, 1);
    }

    /** Decode tokens per second. */
    public Object tokensPerSecond(double value) {
        return decimals(value, 1);
    }

    /** Milliseconds (per token, per iteration). */
    public Object ms(double value) {
        return decimals(value, 2);
    }

    /** The prompt's seconds. */
    public Object promptSeconds(double value) {
        return decimals(value, 3);
    }

    /**
     * {@code value} (its exact binary value) to {@code places} decimals, half up. Away from a tie the
     * scaled double rounds the same way, so only values near a tie take the exact (slower) decimal
     * expansion.
     */
    protected static BigDecimal decimals(double value, int places) {
        if (!Double.isFinite(value)) {
            throw new InvalidScenarioException("the result is not a finite number; check that every input is positive");
        }
        double scaled = places < POWERS.length ? value * POWERS[places] : Double.NaN;
        if (Math.abs(scaled) < 1e9) {
            double floor = Math.floor(scaled);
            double fraction = scaled - floor;
            // below 1e9 the product is within 1e-7 of the exact value: decide away from the tie only
            if (Math.abs(fraction - 0.5) > 1e-6) {
                return BigDecimal.valueOf((long) (fraction > 0.5 ? floor + 1 : floor), places);
            }
        }
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP);
    }

    private static final double[] POWERS = {1, 10, 100, 1000, 10000};
}
