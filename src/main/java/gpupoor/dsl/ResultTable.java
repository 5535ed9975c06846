package gpupoor.dsl;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Names;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A tablesaw {@link Table} made by the DSL (sweeps, fits, reports, validation): a column name it
 * does not have is an error that lists the columns it has, with did-you-mean, instead of tablesaw's
 * bare "does not exist". Everything else is tablesaw's. Example:
 * {@code sweep(s).context(512, 8192).table().selectColumns("context_tokens", "total_gib")}.
 */
public final class ResultTable extends Table {

    private ResultTable(String name, Collection<Column<?>> columns) {
        super(name, columns);
    }

    /** A table of these columns. */
    static ResultTable of(String name, Column<?>... columns) {
        return new ResultTable(name, Arrays.asList(columns));
    }

    /** A table of these columns. */
    static ResultTable of(String name, Collection<Column<?>> columns) {
        return new ResultTable(name, columns);
    }

    /**
     * The index of the column of that name (case-insensitive, as tablesaw matches); every look-up by
     * name ({@code column}, {@code doubleColumn}, {@code selectColumns}, {@code sortOn} …) goes through it.
     *
     * @throws InvalidScenarioException listing the table's columns when it has none of that name
     */
    @Override
    public int columnIndex(String columnName) {
        return super.columnIndex(require(columnName));
    }

    /** The column of that name (see {@link #columnIndex(String)}). */
    @Override
    public Column<?> column(String columnName) {
        return super.column(require(columnName));
    }

    private String require(String columnName) {
        if (columnName == null || !containsColumn(columnName)) {
            List<String> names = columnNames();
            throw new InvalidScenarioException("no column '" + columnName + "' in table '" + name() + "'; its columns: "
                    + String.join(", ", names) + Names.didYouMean(columnName, names));
        }
        return columnName;
    }

    /** The named columns as a table of their own, kept a {@link ResultTable}. */
    @Override
    public Table selectColumns(String... columnNames) {
        return of(name(), super.selectColumns(columnNames).columns());
    }
}
