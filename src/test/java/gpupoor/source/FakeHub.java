package gpupoor.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub on localhost for tests, with the paths and headers huggingface_hub uses:
 * {@code /api/models/{repo}/revision/{rev}} (sha and siblings), {@code /{repo}/resolve/{rev}/{file}}
 * ({@code X-Repo-Commit}, {@code ETag}; weight files answer 302 to a second server, the "CDN", with
 * {@code X-Linked-Etag} and {@code X-Linked-Size}), Range requests on both, {@code X-Error-Code}
 * errors (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo), 429s before success, and slow
 * answers. Every request is logged.
 */
final class FakeHub implements AutoCloseable {
    private static final Pattern API = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");

    /** One logged request. */
    record Request(String server, String path, String range, String authorization) {
    }

    /** A repository: its revisions, the files at each commit, and how it misbehaves. */
    static final class Repo {
        final Map<String, String> refs = new LinkedHashMap<>();
        final Map<String, Map<String, byte[]>> commits = new LinkedHashMap<>();
        String gatedToken;
        int tooManyRequests;
        long delayMillis;

        Repo commit(String commit, String... revisions) {
            commits.put(commit, new LinkedHashMap<>());
            for (String r : revisions) {
                refs.put(r, commit);
            }
            return this;
        }

        Repo file(String commit, String name, byte[] bytes) {
            commits.get(commit).put(name, bytes);
            return this;
        }
    }

    final List<Request> log = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Repo> repos = new ConcurrentHashMap<>();
    final AtomicInteger cdnBytes = new AtomicInteger();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final HttpServer hub;
    private final HttpServer cdn;

    FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        cdn.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hub.start();
        cdn.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    URI cdnBase() {
        return URI.create("http://127.0.0.1:" + cdn.getAddress().getPort());
    }

    Repo repo(String name) {
        return repos.computeIfAbsent(name, n -> new Repo());
    }

    /** A blob on the CDN only, at {@code /blobs/{name}}. */
    URI blob(String name, byte[] bytes) {
        blobs.put(name, bytes);
        return URI.create(cdnBase() + "/blobs/" + name);
    }

    List<Request> requests(String server) {
        synchronized (log) {
            return log.stream().filter(r -> r.server().equals(server)).toList();
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    private void hub(HttpExchange x) throws IOException {
        String path = URLDecoder.decode(x.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        String auth = x.getRequestHeaders().getFirst("Authorization");
        log.add(new Request("hub", path, x.getRequestHeaders().getFirst("Range"), auth));
        Matcher api = API.matcher(path);
        Matcher resolve = RESOLVE.matcher(path);
        String repoName = api.matches() ? api.group(1) : resolve.matches() ? resolve.group(1) : null;
        Repo repo = repoName == null ? null : repos.get(repoName);
        if (repo == null) {
            error(x, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (repo.delayMillis > 0) {
            sleep(repo.delayMillis);
        }
        if (repo.tooManyRequests > 0) {
            repo.tooManyRequests--;
            x.getResponseHeaders().add("Retry-After", "0");
            send(x, 429, new byte[0]);
            return;
        }
        if (repo.gatedToken != null && !("Bearer " + repo.gatedToken).equals(auth)) {
            error(x, 401, "GatedRepo", "Access to model " + repoName + " is restricted. You must have access to it and be authenticated to access it. Please log in.");
            return;
        }
        String rev = api.matches() ? api.group(2) : resolve.group(2);
        String commit = repo.commits.containsKey(rev) ? rev : repo.refs.get(rev);
        if (commit == null) {
            error(x, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        Map<String, byte[]> files = repo.commits.get(commit);
        x.getResponseHeaders().add("X-Repo-Commit", commit);
        if (api.matches()) {
            StringBuilder json = new StringBuilder("{\"id\":\"" + repoName + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
            int i = 0;
            for (String f : files.keySet()) {
                json.append(i++ == 0 ? "" : ",").append("{\"rfilename\":\"").append(f).append("\"}");
            }
            send(x, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String name = resolve.group(3);
        byte[] bytes = files.get(name);
        if (bytes == null) {
            error(x, 404, "EntryNotFound", name + " does not exist on \"" + rev + "\"");
            return;
        }
        if (name.endsWith(".safetensors") || name.endsWith(".gguf")) {
            String sha = sha256(bytes);
            blobs.put(sha, bytes);
            x.getResponseHeaders().add("ETag", "\"pointer-" + sha.substring(0, 8) + "\"");
            x.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
            x.getResponseHeaders().add("X-Linked-Size", String.valueOf(bytes.length));
            x.getResponseHeaders().add("Location", cdnBase() + "/blobs/" + sha + "?signature=abc");
            send(x, 302, new byte[0]);
            return;
        }
        x.getResponseHeaders().add("ETag", "W/\"git-" + sha256(bytes).substring(0, 12) + "\"");
        ranged(x, bytes, new AtomicInteger());
    }

    private void cdn(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        log.add(new Request("cdn", path, x.getRequestHeaders().getFirst("Range"), x.getRequestHeaders().getFirst("Authorization")));
        byte[] bytes = path.startsWith("/blobs/") ? blobs.get(path.substring("/blobs/".length())) : null;
        if (bytes == null) {
            send(x, 404, "Not Found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ranged(x, bytes, cdnBytes);
    }

    private static void ranged(HttpExchange x, byte[] bytes, AtomicInteger served) throws IOException {
        String range = x.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(range);
        if (m == null || !m.matches()) {
            served.addAndGet(bytes.length);
            send(x, 200, bytes);
            return;
        }
        long from = Long.parseLong(m.group(1));
        long to = Math.min(Long.parseLong(m.group(2)), bytes.length - 1L);
        if (from >= bytes.length) {
            x.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
            send(x, 416, new byte[0]);
            return;
        }
        byte[] part = java.util.Arrays.copyOfRange(bytes, (int) from, (int) to + 1);
        served.addAndGet(part.length);
        x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length);
        send(x, 206, part);
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        x.getResponseHeaders().add("X-Error-Code", code);
        x.getResponseHeaders().add("X-Error-Message", message);
        send(x, status, ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            } catch (IOException ignored) {
                // the client stopped reading (a truncated Range answer): fine
            }
        }
        x.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
