package gpupoor.validate;

import java.util.List;

/**
 * One method's predictions of every row of a measurements file.
 *
 * @param method   the method's id
 * @param data     the measurements file's name
 * @param results  one result per row, in file order
 * @param warnings problems of the file as a whole (missing columns)
 */
public record ValidationRun(String method, String data, List<RowResult> results, List<String> warnings) {

    /** Makes the lists unmodifiable. */
    public ValidationRun {
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
    }

    /** The summary grouped by the given dimensions (none: one row over everything). */
    public List<SummaryRow> summary(Dimension... by) {
        return SummaryRow.of(results, by);
    }

    /** The number of rows with a status. */
    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
