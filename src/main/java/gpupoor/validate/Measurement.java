package gpupoor.validate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a measurements file, as text: the source columns ({@code id, source, model, ...,
 * metric, value, unit, notes}) and the normalized ones ({@code model_id, hardware_id, n_devices,
 * backend, framework_id, quant_id, train_method, value_norm, unit_norm, exclude, notes_norm}); see
 * {@code catalog/measured.md}. Values are checked when the row is turned into a scenario
 * ({@link RowScenario}), so a bad cell spoils only its own row.
 *
 * @param row     the row's number as a spreadsheet shows it (the header is row 1)
 * @param cells   column name to cell text; a column absent from the file is absent here
 * @param problem why the row cannot be read as it stands (more cells than the header has), or null
 */
public record Measurement(int row, Map<String, String> cells, String problem) {

    /** Copies the cells into an unmodifiable map (absent cells stay absent, blank ones become ""). */
    public Measurement {
        Map<String, String> copy = new LinkedHashMap<>(cells.size() * 4 / 3 + 1);
        cells.forEach((k, v) -> copy.put(k, v == null ? "" : v.trim()));
        cells = Collections.unmodifiableMap(copy);
    }

    /** A row that was read as it stands (no problem with its shape). */
    public Measurement(int row, Map<String, String> cells) {
        this(row, cells, null);
    }

    /** The cell of a column: "" when blank, null when the file has no such column. */
    public String cell(String column) {
        return cells.get(column);
    }

    /** The cell of a column, "" when blank or absent. */
    public String text(String column) {
        String c = cells.get(column);
        return c == null ? "" : c;
    }

    /** The row's {@code id} (or "row N" when the file gives none). */
    public String id() {
        String id = text("id");
        return id.isEmpty() ? "row " + row : id;
    }

    /** The {@code metric} cell as written. */
    public String metric() {
        return text("metric");
    }

    /** The source's URL: the {@code source} cell up to the first space. */
    public String sourceUrl() {
        String s = text("source");
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** The {@code framework_id} cell. */
    public String frameworkId() {
        return text("framework_id");
    }

    /** The {@code backend} cell. */
    public String backend() {
        return text("backend");
    }

    /** The {@code model_id} cell, or the source's model name in brackets when blank. */
    public String modelLabel() {
        String id = text("model_id");
        return id.isEmpty() ? "(" + text("model") + ")" : id;
    }

    /** The {@code hardware_id} cell, or the source's device name in brackets when blank. */
    public String hardwareLabel() {
        String id = text("hardware_id");
        return id.isEmpty() ? "(" + text("hardware") + ")" : id;
    }

    /** "row N (id X)", for messages. */
    public String where() {
        String id = text("id");
        return "row " + row + (id.isEmpty() ? "" : " (id " + id + ")");
    }
}
