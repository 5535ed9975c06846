package gpupoor.calc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Number formatting as JavaScript does it; each expected value is what Node.js prints for the
 * same expression ({@code Math.round(x)}, {@code x.toFixed(2)}, {@code String(x)}).
 */
class NumberTextTest {

    @Test
    void roundIsJavaScriptsMathRound() {
        assertEquals(0, NumberText.round(0.49999999999999994));
        assertEquals(3, NumberText.round(2.5));
        assertEquals(4503599627370497L, NumberText.round(4503599627370497.0));
    }

    @Test
    void fixed2RoundsTheExactBinaryValueHalfUp() {
        assertEquals("1.00", NumberText.fixed2(1.005).toPlainString());
        assertEquals("1.25", NumberText.fixed2(1.255).toPlainString());
        assertEquals("0.13", NumberText.fixed2(0.125).toPlainString());
    }

    @Test
    void plainPrintsTheShortestRoundTripDecimal() {
        assertEquals("650.3", NumberText.plain(650 + 0.1 * 3));
        assertEquals("750.1", NumberText.plain(650 + 0.1 * 1001));
        assertEquals("650", NumberText.plain(650));
        assertEquals("18446744073709552000", NumberText.plain(Math.pow(2, 64)));
    }

    @Test
    void nonFiniteValuesAreRejected() {
        assertThrows(InvalidScenarioException.class, () -> NumberText.fixed2(Double.POSITIVE_INFINITY));
        assertThrows(InvalidScenarioException.class, () -> NumberText.round(Double.NaN));
    }
}
