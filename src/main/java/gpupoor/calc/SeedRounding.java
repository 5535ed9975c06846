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

    /** {@code value} to {@code places} decimals, half up. */
    protected static BigDecimal decimals(double value, int places) {
        if (!Double.isFinite(value)) {
            throw new InvalidScenarioException("the result is not a finite number; check that every input is positive");
        }
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP);
    }
}
