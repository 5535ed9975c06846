package gpupoor.dsl;

import gpupoor.calc.NumberText;

import java.util.Locale;

/** Number formatting for the DSL's text and HTML: grouped thousands, a few significant digits. */
final class Format {
    private Format() {
    }

    /** A number with grouping and about three significant digits: 24, 7.5, 0.43, 14,603. */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return "–";
        }
        double a = Math.abs(x);
        if (a >= 100 || x == Math.rint(x)) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        return String.format(Locale.ROOT, "%.2g", x);
    }

    /** Whole tokens, sequences or devices with grouping: 131,072. */
    static String count(long n) {
        return NumberText.grouped(n);
    }

    /** MiB with grouping and GiB beside it: {@code 14,603 MiB (14.3 GiB)}. */
    static String mib(double mib) {
        return String.format(Locale.ROOT, "%,.0f MiB (%s GiB)", mib, number(mib / 1024));
    }
}
