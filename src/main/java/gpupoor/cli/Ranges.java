package gpupoor.cli;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Names;
import gpupoor.dsl.Sweep;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Command-line ranges and lists: {@code FROM:TO} (doubling), {@code FROM:TO:STEP} (linear), {@code A,B,C}. */
final class Ranges {
    private Ranges() {
    }

    /** A doubling range as a sweep applies it. */
    interface Doubling {
        Sweep apply(Sweep s, int from, int to);
    }

    /** A linear range as a sweep applies it. */
    interface Linear {
        Sweep apply(Sweep s, int from, int to, int step);
    }

    /** A list as a sweep applies it. */
    interface Listed {
        Sweep apply(Sweep s, int... values);
    }

    /** {@code s} with the range {@code text} of {@code option} applied, or {@code s} when the option is absent. */
    static Sweep apply(Sweep s, String option, String text, Doubling doubling, Linear linear, Listed listed) {
        if (text == null) {
            return s;
        }
        String t = text.trim();
        if (t.contains(":")) {
            int[] parts = ints(option, t, ":");
            if (parts.length == 2) {
                return doubling.apply(s, parts[0], parts[1]);
            }
            if (parts.length == 3) {
                return linear.apply(s, parts[0], parts[1], parts[2]);
            }
            throw bad(option, text);
        }
        return listed.apply(s, ints(option, t, ","));
    }

    /** The comma-separated names of {@code option}, trimmed. */
    static String[] names(String option, String text) {
        String[] parts = Arrays.stream(text.split(",")).map(String::trim).toArray(String[]::new);
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new InvalidScenarioException(option + " needs a comma-separated list without empty items, got '" + text + "'");
        }
        return parts;
    }

    /** An enum constant from its name in lower case with dashes ({@code max-context}). */
    static <E extends Enum<E>> E constant(Class<E> type, String option, String text) {
        String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> accepted = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(key)) {
                return e;
            }
        }
        throw new InvalidScenarioException("unknown " + option + " '" + text + "'; accepted: " + String.join(", ", accepted)
                + Names.didYouMean(text, accepted));
    }

    private static int[] ints(String option, String text, String separator) {
        String[] parts = text.split(separator, -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(option, text);
            }
        }
        return out;
    }

    private static InvalidScenarioException bad(String option, String text) {
        return new InvalidScenarioException(option + " must be FROM:TO (doubling), FROM:TO:STEP (linear) or a list "
                + "A,B,C of integers; got '" + text + "'");
    }
}
