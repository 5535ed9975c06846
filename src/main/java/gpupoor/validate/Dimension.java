package gpupoor.validate;

import java.util.Locale;
import java.util.function.Function;

/** What a summary can be grouped by: a property of each measurement. */
public enum Dimension {
    /** The metric id. */
    METRIC(RowResult::metricId),
    /** The {@code framework_id} of the measurement (as measured, before mapping to a modelled framework). */
    FRAMEWORK(r -> r.measurement().frameworkId()),
    /** The {@code backend}: gpu, apple_gpu, cpu, hybrid or unknown. */
    BACKEND(r -> r.measurement().backend()),
    /** The source's URL. */
    SOURCE(r -> r.measurement().sourceUrl()),
    /** The catalog model id, or the source's model name in brackets. */
    MODEL(r -> r.measurement().modelLabel()),
    /** The catalog device id, or the source's device name in brackets. */
    HARDWARE(r -> r.measurement().hardwareLabel());

    private final Function<RowResult, String> key;

    Dimension(Function<RowResult, String> key) {
        this.key = key;
    }

    /** This dimension's value for a result. */
    public String of(RowResult r) {
        return key.apply(r);
    }

    /** The column name used in tables and JSON: {@code metric}, {@code framework}, ... */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
