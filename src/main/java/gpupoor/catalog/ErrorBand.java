package gpupoor.catalog;

import java.util.Locale;

/**
 * How far off one class of a method's estimates may be: the 10th and 90th percentiles of the
 * signed relative error (predicted − measured) / measured of the bundled measurements in the
 * class ({@code catalog/error-bands.csv}, made by {@code scripts/fit-error-bands.sh}). A prediction
 * {@code p} then puts the measured value likely (in 8 of 10 cases) within
 * [{@code p / (1 + p90)}, {@code p / (1 + p10)}]: see {@link #low} and {@link #high}.
 *
 * @param method         the method's id ({@code default}, {@code gpu-poor})
 * @param cls            the class the band answers for
 * @param basis          whether the band comes from the class's own rows, a parent class's, or is the wide default
 * @param rows           measured rows in the class itself
 * @param sources        distinct sources among those rows
 * @param from           the class whose rows made the band (this class or a parent); null for the default
 * @param bandRows       rows behind the band (0 for the default)
 * @param bandSources    distinct sources behind the band (0 for the default)
 * @param p10            10th percentile of the signed relative error (a fraction: −0.05 is 5% under)
 * @param p90            90th percentile of the signed relative error
 * @param medianAbsError median |relative error| of the band's rows (NaN for the default)
 */
public record ErrorBand(String method, BandClass cls, Basis basis, int rows, int sources, BandClass from, int bandRows,
                        int bandSources, double p10, double p90, double medianAbsError) {

    /** Where a band comes from. */
    public enum Basis {
        /** The class's own rows. */
        OWN,
        /** A parent class's rows: the class has too few of its own. */
        MERGED,
        /** No class up the chain has enough rows: the wide default. */
        DEFAULT;

        /** The id in the CSV: {@code own}, {@code merged}, {@code default}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses an id. */
        static Basis parse(String id) {
            for (Basis b : values()) {
                if (b.id().equals(id)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("basis '" + id + "' is not one of own, merged, default");
        }
    }

    /** Checks that the percentiles are ordered relative errors (above −100%). */
    public ErrorBand {
        if (!(p10 > -1 && p10 <= p90 && Double.isFinite(p90))) {
            throw new IllegalArgumentException("band " + cls.label() + ": p10 " + p10 + " and p90 " + p90
                    + " must satisfy -1 < p10 <= p90");
        }
    }

    /** The low end of the likely measured value for a prediction of this class: {@code predicted / (1 + p90)}. */
    public double low(double predicted) {
        return predicted / (1 + p90);
    }

    /** The high end of the likely measured value for a prediction of this class: {@code predicted / (1 + p10)}. */
    public double high(double predicted) {
        return predicted / (1 + p10);
    }

    /** Whether it is the wide default (no class up the chain has enough measured rows). */
    public boolean isDefault() {
        return basis == Basis.DEFAULT;
    }

    /** The same band answering for another class (the default band, for the class that was asked about). */
    public ErrorBand answering(BandClass other) {
        return new ErrorBand(method, other, basis, rows, sources, from, bandRows, bandSources, p10, p90, medianAbsError);
    }

    /**
     * Where the band comes from, for people: {@code "" } for a class with enough rows of its own,
     * else which class's rows it took, or why it is the wide default.
     */
    public String note() {
        return switch (basis) {
            case OWN -> "";
            case MERGED -> String.format(Locale.ROOT, "%s has %d measured row%s: the band is that of %s (%d rows, %d sources)",
                    cls.label(), rows, rows == 1 ? "" : "s", from.label(), bandRows, bandSources);
            case DEFAULT -> (rows == 0 ? "no bundled measurement of " + cls.label()
                    : "too few bundled measurements of " + cls.label() + " (" + rows + ")")
                    + String.format(Locale.ROOT, ": a wide default band, the measured value between %s and %s times the estimate",
                    factor(1 / (1 + p90)), factor(1 / (1 + p10)));
        };
    }

    private static String factor(double f) {
        return String.format(Locale.ROOT, "%.2f", f).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
