package gpupoor.calc;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Number formatting as the original calculator (JavaScript) shows numbers, and counts as our texts group them. */
public final class NumberText {
    private NumberText() {
    }

    /** A whole number with thousands separators, as messages and reports show counts and MiB: {@code 131,072}. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * JavaScript's {@code x.toFixed(2)}: the exact binary value rounded half-up to 2 decimals.
     *
     * @throws InvalidScenarioException for NaN or infinite values, which our outputs never show
     */
    public static BigDecimal fixed2(double x) {
        requireFinite(x);
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_UP);
    }

    /**
     * JavaScript's {@code Math.round}: the closest integer, halves rounded up. Java's
     * {@link Math#round(double)} has the same definition; the naive {@code floor(x + 0.5)} differs
     * from both where {@code x + 0.5} rounds (0.49999999999999994 gives 1, not 0).
     */
    public static long round(double x) {
        requireFinite(x);
        return Math.round(x);
    }

    /**
     * The shortest decimal that reads back as {@code x}, without a trailing ".0" (as JavaScript
     * prints numbers): 650, 750.1.
     */
    public static String plain(double x) {
        requireFinite(x);
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        for (int p = 1; p <= 17; p++) {
            BigDecimal b = new BigDecimal(x).round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (b.doubleValue() == x) {
                return b.stripTrailingZeros().toPlainString();
            }
        }
        return new BigDecimal(x).toPlainString();
    }

    /** {@link #plain(double)} for a finite number, else Java's text for it ({@code NaN}, {@code Infinity}), for messages. */
    public static String plainOrText(double x) {
        return Double.isFinite(x) ? plain(x) : Double.toString(x);
    }

    /** The {@link BigDecimal} of {@link #plain(double)}, for JSON output. */
    public static BigDecimal shortest(double x) {
        return new BigDecimal(plain(x));
    }

    private static void requireFinite(double x) {
        if (!Double.isFinite(x)) {
            throw new InvalidScenarioException("the result is not a finite number (" + x
                    + "); check that every input is a positive number");
        }
    }
}
