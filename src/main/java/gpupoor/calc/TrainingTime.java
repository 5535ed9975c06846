package gpupoor.calc;

/**
 * Time of one fine-tuning iteration (forward + backward + optimizer step) over one batch.
 *
 * @param msPerIteration milliseconds per iteration
 * @param bound          what limits it
 */
public record TrainingTime(double msPerIteration, Bound bound) {
}
