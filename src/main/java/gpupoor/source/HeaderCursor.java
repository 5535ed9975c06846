package gpupoor.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Little-endian reads from the start of a {@link ByteSource}, fetching more of it only as far as
 * the reads go: the first chunk, then doubling up to 4 MiB a read (so at most 4 MiB more than the
 * header is fetched), never past {@code limit} bytes. Every read is
 * bounded: a length or count that the remaining bytes cannot hold is an
 * {@link InvalidModelSourceException}, not an allocation.
 */
final class HeaderCursor {
    private static final long MAX_STEP = 4 << 20;
    private final ByteSource source;
    private final int limit;
    private final int firstChunk;
    private byte[] buf = new byte[0];
    private int filled;
    private boolean ended;
    private int pos;
    private String context = "";

    HeaderCursor(ByteSource source, int limit, int firstChunk) {
        this.source = source;
        this.limit = limit;
        this.firstChunk = firstChunk;
    }

    /** Names what is being read, for messages ("tensor info 3 of 291"). */
    void context(String what) {
        context = what;
    }

    int position() {
        return pos;
    }

    /** The most bytes that can still follow the current position within the header. */
    long room() {
        long end = source.size() >= 0 ? Math.min(limit, source.size()) : limit;
        if (ended) {
            end = Math.min(end, filled);
        }
        return end - pos;
    }

    InvalidModelSourceException error(String message) {
        return new InvalidModelSourceException(source.describe() + ": " + message
                + (context.isEmpty() ? "" : " (at byte " + pos + ", reading " + context + ")"));
    }

    private void need(long n) {
        long want = pos + n;
        if (want <= filled) {
            return;
        }
        if (want > limit) {
            throw error("the header is larger than the " + (limit >> 20) + " MiB this calculator reads"
                    + " (a length or count in it is too large: the file is corrupt or not a model file)");
        }
        while (filled < want && !ended) {
            long step = Math.min(Math.max(firstChunk, filled), MAX_STEP);
            long target = Math.max(want, Math.min(limit, filled + step));
            if (source.size() >= 0) {
                target = Math.min(target, source.size());
            }
            int ask = (int) (target - filled);
            byte[] more;
            try {
                more = ask > 0 ? source.read(filled, ask) : new byte[0];
            } catch (IOException e) {
                throw new InvalidModelSourceException(source.describe() + ": cannot read: " + e.getMessage(), e);
            }
            if (filled + more.length > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.max(target, filled + more.length));
            }
            System.arraycopy(more, 0, buf, filled, more.length);
            filled += more.length;
            if (more.length < ask || ask == 0) {
                ended = true;
            }
        }
        if (filled < want) {
            throw error("the file ends at byte " + filled + ", inside its header: it is truncated or not a model file");
        }
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    int i32() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long u32() {
        return i32() & 0xffffffffL;
    }

    long i64() {
        long lo = u32();
        long hi = u32();
        return lo | hi << 32;
    }

    /**
     * A count or length stored as a 64-bit integer, checked against the room left: {@code minBytesEach}
     * is the least one item can take.
     */
    long count(String what, long minBytesEach) {
        long n = i64();
        long room = room();
        if (n < 0 || (minBytesEach > 0 && n > room / minBytesEach)) {
            boolean fileEnds = source.size() >= 0 && source.size() < limit;
            throw error(what + " is " + Long.toUnsignedString(n) + ", more than the " + room
                    + (fileEnds ? " bytes left in the file can hold: the file is truncated or corrupt"
                    : " bytes left within the " + (limit >> 20) + " MiB header limit can hold: the file is corrupt or not a model file"));
        }
        return n;
    }

    /** A GGUF string: a 64-bit byte length, then UTF-8 bytes. */
    String string(String what) {
        int n = (int) count("the length of " + what, 1);
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    int u16() {
        need(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    /** Skips {@code n} bytes (fetched, so that the end of the header is known to exist). */
    void skip(long n) {
        need(n);
        pos += (int) n;
    }

    /** A copy of the bytes from {@code from} (already read) to the current position. */
    byte[] copySince(int from) {
        return Arrays.copyOfRange(buf, from, pos);
    }
}
