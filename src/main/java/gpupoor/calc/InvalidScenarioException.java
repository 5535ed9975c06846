package gpupoor.calc;

/**
 * A scenario the calculator cannot evaluate: a bad value, an unknown name or a combination the
 * method rejects. The message says what was wrong and what is accepted.
 */
public class InvalidScenarioException extends IllegalArgumentException {
    /** Creates the exception with a message meant for the user. */
    public InvalidScenarioException(String message) {
        super(message);
    }
}
