package gpupoor.calc;

/**
 * A scenario the calculator cannot evaluate: a bad value, an unknown name or a combination the
 * method rejects. The message says what was wrong and what is accepted. It may refer to the
 * user's inputs ({@link Input#ref}); {@link #getMessage()} writes them in the exception's
 * {@link Input.Style} (plain words unless a front end chose its own with {@link #in}).
 */
public class InvalidScenarioException extends IllegalArgumentException {
    private final String template;
    private final transient Input.Style style;

    /** Creates the exception with a message meant for the user (it may hold input references). */
    public InvalidScenarioException(String message) {
        this(message, Input.WORDS, null);
    }

    /** Creates the exception with a message meant for the user and the failure that caused it. */
    public InvalidScenarioException(String message, Throwable cause) {
        this(message, Input.WORDS, cause);
    }

    private InvalidScenarioException(String template, Input.Style style, Throwable cause) {
        super(template, cause);
        this.template = template;
        this.style = style;
    }

    @Override
    public String getMessage() {
        return Input.render(template, style);
    }

    /** The message as the engine wrote it, input references unrendered. */
    public String template() {
        return template;
    }

    /** The first input the message refers to, or null. */
    public Input input() {
        return Input.firstIn(template);
    }

    /** The same failure, its message written in {@code style} (the stack trace is kept). */
    public InvalidScenarioException in(Input.Style style) {
        InvalidScenarioException e = new InvalidScenarioException(template, style, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
