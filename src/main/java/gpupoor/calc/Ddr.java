package gpupoor.calc;

import java.util.Locale;

/** DDR generation of a CPU's system memory. */
public enum Ddr {
    /** DDR4. */
    DDR4,
    /** DDR5. */
    DDR5;

    /** Parses {@code ddr4} or {@code ddr5}, case-insensitively. */
    public static Ddr parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "ddr4" -> DDR4;
            case "ddr5" -> DDR5;
            default -> throw new InvalidScenarioException("unknown memory type '" + text + "'; accepted: ddr4, ddr5");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
