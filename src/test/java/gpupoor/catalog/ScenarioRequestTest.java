package gpupoor.catalog;

import gpupoor.calc.InvalidScenarioException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text inputs: sizes must be plain decimal numbers, as the original's arithmetic reads them. */
class ScenarioRequestTest {

    private static ScenarioRequest size(String text) {
        return ScenarioRequest.fromRow(Map.of("size", text));
    }

    @Test
    void decimalSizesAreAccepted() {
        for (String ok : new String[] {"7", "0.5", ".5", "7.", "1e1", " 13 "}) {
            double expected = Double.parseDouble(ok.trim());
            assertEquals(expected, size(ok).resolve(Catalog.get()).model().sizeBillions(), ok);
        }
    }

    @Test
    void sizesJavaScriptCannotReadAreRejected() {
        // Java's parseDouble reads "7d", "7f" and "0x1Ap0"; JavaScript's Number() gives NaN or a hex value
        for (String bad : new String[] {"7d", "7f", "0x1Ap0", "7b", "Infinity", "NaN", "-7", "0"}) {
            InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                    () -> size(bad).resolve(Catalog.get()), bad);
            assertTrue(e.getMessage().contains("size must be a positive number"), e.getMessage());
        }
    }
}
