package gpupoor.source;

import java.io.Closeable;
import java.io.IOException;

/** Random access to the leading bytes of a file: local, or remote with HTTP Range requests. */
interface ByteSource extends Closeable {
    /** The file's name for messages (a path or a URL). */
    String describe();

    /** The file's size in bytes, or -1 when not (yet) known. */
    long size();

    /**
     * Reads {@code length} bytes at {@code offset}; fewer only where the file ends (none past its end).
     */
    byte[] read(long offset, int length) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
