package gpupoor.source;

import java.net.URI;

/**
 * The leading bytes of a remote file, read with HTTP Range requests through a {@link HubClient}.
 * It remembers what the first response said about the file: its commit ({@code X-Repo-Commit}),
 * ETag ({@code X-Linked-Etag}, else {@code ETag}) and size ({@code X-Linked-Size}, else the total of
 * {@code Content-Range}).
 */
final class RemoteBytes implements ByteSource {
    private final HubClient client;
    private final URI uri;
    private final String name;
    private final java.util.function.Function<HubClient.HttpError, InvalidModelSourceException> errors;
    private long size = -1;
    private String commit;
    private String etag;
    private final java.io.ByteArrayOutputStream leading = new java.io.ByteArrayOutputStream();

    /** Reads {@code uri}, named {@code name} in messages; {@code errors} says what an error status means to the user. */
    RemoteBytes(HubClient client, URI uri, String name,
                java.util.function.Function<HubClient.HttpError, InvalidModelSourceException> errors) {
        this.client = client;
        this.uri = uri;
        this.name = name;
        this.errors = errors;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    /** {@code X-Repo-Commit} of the first response, or null. */
    String commit() {
        return commit;
    }

    /** The file's ETag (quotes and weak marker removed), or null. */
    String etag() {
        return etag;
    }

    /** The first {@code n} bytes of the file (already read: the reads of a header start at 0 and follow each other). */
    byte[] prefix(int n) {
        return java.util.Arrays.copyOf(leading.toByteArray(), n);
    }

    @Override
    public byte[] read(long offset, int length) {
        HubClient.Response r;
        try {
            r = client.range(uri, offset, length);
        } catch (HubClient.HttpError e) {
            if (e.status == 416) {
                return new byte[0];
            }
            throw errors.apply(e);
        }
        if (offset != leading.size()) {
            throw new IllegalStateException("header reads must follow each other");
        }
        leading.writeBytes(r.body());
        if (commit == null) {
            commit = r.first("X-Repo-Commit");
        }
        if (etag == null) {
            etag = normalizeEtag(r.first("X-Linked-Etag") != null ? r.first("X-Linked-Etag") : r.first("ETag"));
        }
        if (size < 0) {
            size = sizeOf(r);
        }
        return r.body();
    }

    private static long sizeOf(HubClient.Response r) {
        String linked = r.first("X-Linked-Size");
        if (linked != null && linked.trim().matches("\\d{1,18}")) {
            return Long.parseLong(linked.trim());
        }
        String range = r.last("Content-Range");
        if (range != null && range.matches("bytes \\d+-\\d+/\\d{1,18}")) {
            return Long.parseLong(range.substring(range.indexOf('/') + 1));
        }
        String length = r.last("Content-Length");
        if (r.status() == 200 && length != null && length.trim().matches("\\d{1,18}")) {
            return Long.parseLong(length.trim());
        }
        return -1;
    }

    /** An ETag as huggingface_hub keeps it: without {@code W/} and quotes. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }
}
