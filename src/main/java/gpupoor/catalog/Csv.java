package gpupoor.catalog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import gpupoor.calc.InvalidScenarioException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads CSV: the bundled tables whole ({@link #read}), and a user's file one row at a time
 * ({@link Rows}), so a file of any length takes the same memory and a bad row spoils only itself;
 * writes one line at a time ({@link #line}).
 */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    private static final CsvMapper RECORDS = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES);
    private static final char BOM = '\uFEFF';

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

    /**
     * One line of CSV with its line break, {@code \n}: a cell holding a comma, a double quote or a line
     * break is put in double quotes, a double quote in it doubled (RFC 4180). A line is made on its
     * own, so that a streamed file's lines can be made on every core.
     */
    public static String line(String... cells) {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells[i];
            if (c.indexOf(',') < 0 && c.indexOf('"') < 0 && c.indexOf('\n') < 0 && c.indexOf('\r') < 0) {
                sb.append(c);
            } else {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * One data row of a user's file.
     *
     * @param number  the row's number as a spreadsheet shows it (the header is row 1; blank rows count)
     * @param cells   column name to cell text (trimmed) for every column of the header (blank where the row is
 *                too short to reach it)
     * @param problem why the row cannot be read as it stands (more cells than the header has, a quote
     *                left open), or null
     */
    public record Row(int number, Map<String, String> cells, String problem) {
    }

    /**
     * A user's CSV file, read one row at a time: UTF-8 (a byte-order mark is dropped), a header row
     * naming the columns, then data rows. Blank rows are skipped (but counted in the row numbers);
     * a row shorter than the header has blank cells where it does not reach; a row with more non-blank
     * cells than the header has columns carries a {@link Row#problem()} (trailing empty cells, as
     * spreadsheets write, are fine). Close it when done.
     */
    public static final class Rows implements Closeable {
        private final String name;
        private final MappingIterator<String[]> records;
        private final List<String> header;
        private int number;
        private boolean broken;

        private Rows(String name, Reader in) throws IOException {
            this.name = name;
            this.records = RECORDS.readerFor(String[].class).readValues(in);
            List<String> first = null;
            while (first == null && records.hasNextValue()) {
                number++;
                String[] cells = records.nextValue();
                if (!blank(cells)) {
                    first = new ArrayList<>();
                    for (String c : cells) {
                        first.add(c == null ? "" : c.trim());
                    }
                }
            }
            if (first == null) {
                throw new InvalidScenarioException("'" + name + "' is empty: its first row must be a header naming the columns");
            }
            if (!first.isEmpty() && !first.get(0).isEmpty() && first.get(0).charAt(0) == BOM) {
                first.set(0, first.get(0).substring(1).trim());
            }
            List<String> seen = new ArrayList<>();
            for (String column : first) {
                if (!column.isEmpty() && seen.contains(column.toLowerCase(Locale.ROOT))) {
                    throw new InvalidScenarioException("'" + name + "': column '" + column + "' appears twice in the header (the first row, which must "
                            + "name the columns: is the header row missing?)");
                }
                seen.add(column.toLowerCase(Locale.ROOT));
            }
            this.header = Collections.unmodifiableList(first);
        }

        /**
         * Opens a user's file.
         *
         * @throws InvalidScenarioException when it is missing, not a regular file (a directory, a pipe),
         *                                  unreadable or empty
         */
        public static Rows open(Path file) {
            String name = file.toString();
            if (!Files.exists(file)) {
                throw new InvalidScenarioException("file '" + name + "' not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidScenarioException("'" + name + "' is not a regular file (a directory, pipe or device); "
                        + "give the path of a CSV file");
            }
            try {
                Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
                return new Rows(name, in);
            } catch (IOException e) {
                throw new InvalidScenarioException("cannot read '" + name + "': " + (e.getMessage() == null
                        ? "read failed" : e.getMessage()));
            }
        }

        /** Reads a resource or any stream the same way; {@code name} names it in messages. */
        public static Rows of(InputStream in, String name) {
            try {
                return new Rows(name, new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The header's column names (trimmed, the byte-order mark dropped). */
        public List<String> header() {
            return header;
        }

        /** The next data row, or null at the end of the file (or after a quote left open). */
        public Row next() {
            if (broken) {
                return null;
            }
            try {
                while (records.hasNextValue()) {
                    number++;
                    String[] cells = records.nextValue();
                    if (blank(cells)) {
                        continue;
                    }
                    return row(cells);
                }
                return null;
            } catch (IOException | RuntimeException e) {
                broken = true;
                return new Row(number, Map.of(), "cannot be read as CSV (" + firstLine(e)
                        + "); the rows after it are not read");
            }
        }

        private Row row(String[] cells) {
            Map<String, String> map = new LinkedHashMap<>();
            int extra = 0;
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i] == null ? "" : cells[i].trim();
                if (i < header.size()) {
                    if (!header.get(i).isEmpty()) {
                        map.putIfAbsent(header.get(i), c);
                    }
                } else if (!c.isEmpty()) {
                    extra++;
                }
            }
            for (String column : header) {
                if (!column.isEmpty()) {
                    map.putIfAbsent(column, "");
                }
            }
            String problem = extra == 0 ? null : "it has " + (header.size() + extra) + " cells but the header has "
                    + header.size() + " columns (a comma inside a value needs quotes around the value)";
            return new Row(number, map, problem);
        }

        private static boolean blank(String[] cells) {
            for (String c : cells) {
                if (c != null && !c.isBlank()) {
                    return false;
                }
            }
            return true;
        }

        private static String firstLine(Exception e) {
            String m = e.getMessage();
            if (m == null) {
                return "malformed";
            }
            return m.lines().findFirst().orElse("malformed");
        }

        /** The file's name, as given. */
        public String name() {
            return name;
        }

        @Override
        public void close() {
            try {
                records.close();
            } catch (IOException e) {
                // nothing left to read
            }
        }
    }
}
