package gpupoor.catalog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads CSV files with a header row into maps (column name to cell text). */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    private Csv() {
    }

    /** Reads every row of a UTF-8 CSV with a header; {@code what} names the file in error messages. */
    public static List<Map<String, String>> read(InputStream in, String what) {
        return read(new InputStreamReader(in, StandardCharsets.UTF_8), what);
    }

    /** Reads every row of a CSV with a header from a reader. */
    public static List<Map<String, String>> read(Reader in, String what) {
        try (in) {
            MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(in);
            return it.readAll();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CSV '" + what + "': " + e.getMessage(), e);
        }
    }
}
