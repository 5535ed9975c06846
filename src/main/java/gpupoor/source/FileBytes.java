package gpupoor.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The bytes of a local file, read with positioned reads. */
final class FileBytes implements ByteSource {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    private FileBytes(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens {@code path} for reading.
     *
     * @throws InvalidModelSourceException when it does not exist or cannot be read
     */
    static FileBytes open(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            return new FileBytes(path, ch, ch.size());
        } catch (NoSuchFileException e) {
            throw new InvalidModelSourceException("no file " + path);
        } catch (IOException e) {
            throw new InvalidModelSourceException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(length, size - offset)));
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
