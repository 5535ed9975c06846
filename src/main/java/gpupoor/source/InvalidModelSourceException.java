package gpupoor.source;

/**
 * A model reference that cannot be read: a malformed or truncated GGUF or safetensors header, a
 * config.json without the keys the calculator needs, a Hub repository or file that does not exist
 * or needs a token, or no network and nothing cached. The message says what was wrong and what is
 * accepted, in the user's terms; the CLI prints it and exits with code 2.
 */
public class InvalidModelSourceException extends IllegalArgumentException {
    /** Creates the exception with a message meant for the user. */
    public InvalidModelSourceException(String message) {
        super(message);
    }

    /** Creates the exception with a message meant for the user and the failure behind it. */
    public InvalidModelSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
