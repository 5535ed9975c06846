package gpupoor.dsl;

import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.ValidationRun;
import gpupoor.validate.Validator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate(..)}: predictions against published measurements, in notebooks and jshell
 * ({@code import static gpupoor.dsl.Validation.*}). Each call returns a {@link ValidationReport}:
 * {@code .rows()} and {@code .summary()} tables, {@code .scatter(method)} and
 * {@code .errors(method)} plots. The bundled measurements are {@code catalog/measured.csv}.
 */
public final class Validation {
    private Validation() {
    }

    /** Both methods (ours and the original gpu_poor) against the bundled measurements, side by side. */
    public static ValidationReport validate() {
        return validate(MeasuredData.bundled(), Methods.all());
    }

    /**
     * The given methods against the bundled measurements, e.g. {@code validate(Methods.GPU_POOR)};
     * no method: both.
     */
    public static ValidationReport validate(Method... methods) {
        return validate(MeasuredData.bundled(), methods.length == 0 ? Methods.all() : List.of(methods));
    }

    /**
     * The given methods (none: both) against your own measurements: a CSV with the columns of
     * {@code catalog/measured.csv} (see {@code catalog/measured.md}).
     *
     * @throws gpupoor.calc.InvalidScenarioException when the file is missing or not a measurements file
     */
    public static ValidationReport validate(Path file, Method... methods) {
        return validate(MeasuredData.read(file), methods.length == 0 ? Methods.all() : List.of(methods));
    }

    /** As {@link #validate(Path, Method...)}, with the file's path as text. */
    public static ValidationReport validate(String file, Method... methods) {
        return validate(Path.of(file), methods);
    }

    private static ValidationReport validate(MeasuredData data, List<Method> methods) {
        List<ValidationRun> runs = new ArrayList<>();
        for (Method m : methods) {
            runs.add(Validator.run(m, data));
        }
        return new ValidationReport(runs);
    }
}
