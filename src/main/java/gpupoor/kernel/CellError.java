package gpupoor.kernel;

import java.util.List;

/**
 * Why a cell failed, as Jupyter shows it: a short name ({@code ename}), the message
 * ({@code evalue}) and the lines of the report ({@code traceback}).
 */
final class CellError extends RuntimeException {
    private final String name;
    private final List<String> traceback;

    CellError(String name, String message, List<String> traceback) {
        super(message, null, false, false);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    /** The error name, e.g. {@code CompileError} or the exception's simple class name. */
    String name() {
        return name;
    }

    /** The report, one line per element. */
    List<String> traceback() {
        return traceback;
    }
}
