package gpupoor.calc.original;

import gpupoor.calc.NumberText;
import gpupoor.calc.SeedRounding;

/**
 * The original calculator's rounding: memory parts ceiled one by one, the overhead unrounded,
 * tokens/s with JavaScript's {@code Math.round} (or "&lt; 1"), milliseconds and seconds with
 * {@code toFixed(2)}.
 */
final class OriginalRounding extends SeedRounding {
    static final OriginalRounding INSTANCE = new OriginalRounding();

    private OriginalRounding() {
    }

    @Override
    public Object mib(double value) {
        return NumberText.shortest(Math.ceil(value));
    }

    @Override
    public Object overheadMiB(double value) {
        return NumberText.shortest(value);
    }

    @Override
    public Object tokensPerSecond(double value) {
        long rounded = NumberText.round(value);
        return rounded >= 1 ? (Object) rounded : "< 1";
    }

    @Override
    public Object ms(double value) {
        return NumberText.fixed2(value);
    }

    @Override
    public Object promptSeconds(double value) {
        return NumberText.fixed2(value);
    }
}
