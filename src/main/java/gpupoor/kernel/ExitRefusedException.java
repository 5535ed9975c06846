package gpupoor.kernel;

/**
 * Thrown in a cell that calls {@code System.exit} (or {@code Runtime.halt}): ending the JVM would end
 * the kernel and lose every variable of the session, so the kernel refuses.
 */
public final class ExitRefusedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    /** The refusal of an exit with the given status. */
    public ExitRefusedException(int status) {
        super("System.exit(" + status + ") was refused: it would end the kernel and lose the session. "
                + "To start over, restart the kernel (Kernel > Restart).");
    }
}
