package gpupoor.validate;

/**
 * Why a measurement cannot be predicted: the row is excluded, unsupported or invalid. The message
 * names the row and, where one is to blame, the column.
 */
public final class RowProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;

    /** A problem of the given status (not {@link Status#OK}) with a message for the user. */
    public RowProblem(Status status, String message) {
        super(message);
        if (status == Status.OK) {
            throw new IllegalArgumentException("a row problem cannot have status ok");
        }
        this.status = status;
    }

    /** The row's status: excluded, unsupported or invalid. */
    public Status status() {
        return status;
    }
}
