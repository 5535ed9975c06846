package gpupoor.calc;

import gpupoor.calc.accurate.DefaultMethod;
import gpupoor.calc.original.GpuPoorMethod;

import java.util.List;
import java.util.Locale;

/** The calculation methods, by id. */
public final class Methods {
    private Methods() {
    }

    /** The original calculator, reproduced exactly. */
    public static final Method GPU_POOR = GpuPoorMethod.INSTANCE;

    /** Our accurate method (the default). */
    public static final Method DEFAULT = DefaultMethod.INSTANCE;

    /** Every method. */
    public static List<Method> all() {
        return List.of(DEFAULT, GPU_POOR);
    }

    /** Parses {@code default} or {@code gpu-poor} (also {@code gpu_poor}, {@code gpupoor}, {@code original}). */
    public static Method parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "default", "ours", "accurate" -> DEFAULT;
            case "gpu-poor", "gpu_poor", "gpupoor", "original" -> GPU_POOR;
            default -> throw new InvalidScenarioException("unknown calculation method '" + text
                    + "'; accepted: default, gpu-poor");
        };
    }
}
