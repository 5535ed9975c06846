package gpupoor.calc;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fewest-devices search ({@link Fit#fewestFitting}) against a plain scan: for any monotone
 * "fits" (every count from a threshold on), any set of accepted counts, any count already judged and
 * any guess, it answers the smallest accepted count that fits (or -1), and a guess at the answer
 * settles it in at most three trials.
 */
class FewestFittingPropertiesTest {

    /** Accepted counts and the largest the search is told of. */
    record Rule(IntPredicate accepted, int largest) {
    }

    /**
     * Accepted-count rules the runtimes use or could: every count, the divisors of a head count (the
     * heads the largest), powers of two, even counts.
     */
    @Provide
    Arbitrary<Rule> rules() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Rule(n -> true, Fit.MAX_DEVICES)),
                Arbitraries.of(8, 12, 14, 32, 40, 64, 96, 128).map(h -> new Rule(n -> h % n == 0, h)),
                Arbitraries.just(new Rule(n -> Integer.bitCount(n) == 1, Fit.MAX_DEVICES)),
                Arbitraries.just(new Rule(n -> n % 2 == 0, Fit.MAX_DEVICES)));
    }

    /** The smallest accepted count in [1, MAX_DEVICES] at or above the threshold, by a plain scan; -1 if none. */
    private static int scan(IntPredicate accepted, int threshold) {
        for (int n = Math.max(1, threshold); n <= Fit.MAX_DEVICES; n++) {
            if (accepted.test(n)) {
                return n;
            }
        }
        return -1;
    }

    @Property(tries = 10_000, generation = GenerationMode.RANDOMIZED)
    void answersTheSmallestAcceptedCountThatFitsWhateverTheGuess(
            @ForAll("rules") Rule rule,
            @ForAll @IntRange(min = 1, max = Fit.MAX_DEVICES + 50) int threshold,
            @ForAll @IntRange(min = 0, max = Fit.MAX_DEVICES + 50) int known,
            @ForAll @IntRange(min = 0, max = Fit.MAX_DEVICES + 50) int guess) {
        IntPredicate fits = n -> n >= threshold;
        int answer = Fit.fewestFitting(fits, rule.accepted(), rule.largest(), known, known >= threshold, guess);
        assertEquals(scan(rule.accepted(), threshold), answer,
                "threshold " + threshold + ", known " + known + ", guess " + guess);
    }

    @Property(tries = 2_000, generation = GenerationMode.RANDOMIZED)
    void aGuessAtTheAnswerTakesAtMostThreeTrials(@ForAll @IntRange(min = 2, max = Fit.MAX_DEVICES) int threshold) {
        int[] trials = {0};
        IntPredicate fits = n -> {
            trials[0]++;
            return n >= threshold;
        };
        assertEquals(threshold, Fit.fewestFitting(fits, n -> true, Fit.MAX_DEVICES, 1, false, threshold));
        assertTrue(trials[0] <= 3, trials[0] + " trials for a guess at the answer " + threshold);
    }
}
