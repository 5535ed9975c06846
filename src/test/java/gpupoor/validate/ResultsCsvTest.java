package gpupoor.validate;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import gpupoor.calc.Names;
import gpupoor.catalog.Csv;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The numbers of {@code validate --format csv}. */
class ResultsCsvTest {

    /** The definition: the double's exact binary value rounded half-up to 2 decimals, trailing zeros dropped. */
    private static String exact(double v) {
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    @Test
    void numbersAreTheExactValueRoundedHalfUpToTwoDecimals() {
        // ties and near-ties, in binary: 0.125 is exact (rounds up), 2.675 and 1.005 lie just below their ties
        for (double v : List.of(0.0, -0.0, 0.125, -0.125, 2.675, 1.005, 0.005, -0.005, 0.004, -0.004, 0.006, -0.006,
                99.995, 100.0, 1e-9, 123456789.125, 999999999.995, 1e9, 1e12 + 0.005, -1e15, 5e-3, 0.015, 0.025, 1.0 / 3)) {
            assertEquals(exact(v), ResultsCsv.number(v), "v = " + v);
        }
        Random random = new Random(16);
        for (int i = 0; i < 200_000; i++) {
            double scale = Math.pow(10, random.nextInt(14) - 4);
            double v = (random.nextDouble() - 0.3) * scale;
            if (i % 4 == 0) {
                v = Math.round(v * 1000) / 1000.0; // three decimals: ties in decimal, close to ties in binary
            }
            assertEquals(exact(v), ResultsCsv.number(v), "v = " + v);
        }
        assertEquals("", ResultsCsv.number(null));
    }

    @Test
    void linesAreQuotedAsJacksonsStrictCsvWriterQuotesThem() throws Exception {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        CsvSchema.Builder schema = CsvSchema.builder();
        for (int i = 0; i < 5; i++) {
            schema.addColumn("c" + i);
        }
        ObjectWriter jackson = mapper.writer(schema.build().withoutHeader());
        // cells as the results hold them (escaped by Names.printable): ASCII, separators, quotes, '#', blanks, others
        String alphabet = "ab ,\"#'\\;|=-_.0123456789\t\n\r\u00e9\u4e2d\u2028";
        Random random = new Random(16);
        for (int n = 0; n < 20_000; n++) {
            String[] cells = new String[5];
            for (int c = 0; c < cells.length; c++) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(8);
                for (int k = 0; k < length; k++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                cells[c] = Names.printable(sb.toString());
            }
            assertEquals(jackson.writeValueAsString(cells), Csv.line(cells), String.join("|", cells));
        }
    }
}
