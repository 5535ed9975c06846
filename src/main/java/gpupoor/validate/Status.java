package gpupoor.validate;

import java.util.Locale;

/** What became of one measurement in a validation run. */
public enum Status {
    /** Predicted and compared. */
    OK,
    /** The method, the catalog or the harness cannot predict it (unknown model, framework not modelled, ...). */
    UNSUPPORTED,
    /** The data marks the row {@code exclude=1}: left out of the statistics. */
    EXCLUDED,
    /** The row itself is malformed (unknown metric, a number that is not one, an unknown id). */
    INVALID;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The lower-case id used in output: {@code ok}, {@code unsupported}, {@code excluded}, {@code invalid}. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id();
    }
}
