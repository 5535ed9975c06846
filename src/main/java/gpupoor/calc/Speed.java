package gpupoor.calc;

/**
 * Inference speed of one sequence.
 *
 * @param tokensPerSecond decode tokens per second per sequence
 * @param msPerToken      milliseconds per decode step
 * @param promptSeconds   seconds to process the prompt (time to first token)
 * @param bound           what limits a decode step
 */
public record Speed(double tokensPerSecond, double msPerToken, double promptSeconds, Bound bound) {
}
