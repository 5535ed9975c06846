package gpupoor.source;

import java.util.Arrays;

/** Bytes held in memory: a cached header. */
final class MemoryBytes implements ByteSource {
    private final String name;
    private final byte[] data;

    MemoryBytes(String name, byte[] data) {
        this.name = name;
        this.data = data;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public byte[] read(long offset, int length) {
        int from = (int) Math.min(offset, data.length);
        return Arrays.copyOfRange(data, from, (int) Math.min(data.length, from + (long) length));
    }
}
