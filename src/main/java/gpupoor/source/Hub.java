package gpupoor.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a model from the Hugging Face Hub: the revision's commit and file list from
 * {@code /api/models/{repo}/revision/{rev}}, then {@code config.json},
 * {@code generation_config.json}, the safetensors index and each weight file's header (Range
 * requests) from {@code /{repo}/resolve/{commit}/{file}} — or a GGUF file's header. Everything read
 * is cached (see {@link HubCache}); a revision whose commit and files are cached is read without the
 * network until {@link HubSettings#refreshAfter()} has passed (a commit never changes, so a commit
 * hash is always read from the cache). One instance reads one reference.
 */
final class Hub {
    /** A commit hash. */
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    /** The most bytes of a JSON file (config, index, file list). */
    private static final int MAX_JSON = 64 << 20;
    /** The first Range request for a safetensors header (most shards' headers fit; a larger one takes one more request). */
    private static final int SAFETENSORS_CHUNK = 64 << 10;
    /** The first Range request for a GGUF header; it doubles until the header is read (a tokenizer makes it 1-10 MiB). */
    private static final int GGUF_CHUNK = 256 << 10;

    private final HubSettings settings;
    private final HubCache cache;
    private final List<Origin.SourceFile> read = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private HubClient client;
    private boolean network;

    Hub(HubSettings settings) {
        this.settings = settings;
        this.cache = new HubCache(settings.hfCache(), settings.cache());
    }

    /** A revision resolved to a commit, with the files at that commit. */
    private record Resolved(String commit, List<String> files) {
    }

    /** The model of repository {@code repo} at {@code revision}. */
    ModelSource model(String reference, String repo, String revision) {
        Resolved r = resolve(repo, revision);
        if (!r.files().contains("config.json")) {
            List<String> gguf = r.files().stream().filter(f -> f.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")).toList();
            if (!gguf.isEmpty()) {
                throw new InvalidModelSourceException(repo + " holds GGUF files, not a config.json: name one, e.g. hf://"
                        + repo + "/" + gguf.get(0) + " (its files: " + String.join(", ", gguf.subList(0, Math.min(8, gguf.size())))
                        + (gguf.size() > 8 ? ", …" : "") + ")");
            }
            throw new InvalidModelSourceException(repo + "@" + revision + " has no config.json, so it is not a transformers model");
        }
        String config = text(repo, revision, r.commit(), "config.json");
        String generation = r.files().contains("generation_config.json")
                ? text(repo, revision, r.commit(), "generation_config.json") : null;
        List<SafetensorsFile> weights = new ArrayList<>();
        ObjectNode index = null;
        if (r.files().contains("model.safetensors.index.json")) {
            index = ConfigJson.object(text(repo, revision, r.commit(), "model.safetensors.index.json"),
                    repo + "'s model.safetensors.index.json");
            for (String shard : ModelSources.shards(index, repo + "'s model.safetensors.index.json")) {
                if (!r.files().contains(shard)) {
                    throw new InvalidModelSourceException(repo + "'s model.safetensors.index.json names " + shard
                            + ", which is not in the repository");
                }
                weights.add(safetensors(repo, revision, r.commit(), shard));
            }
        } else if (r.files().contains("model.safetensors")) {
            weights.add(safetensors(repo, revision, r.commit(), "model.safetensors"));
        } else {
            notes.add(repo + " has no model.safetensors or model.safetensors.index.json: no tensor list");
        }
        Origin origin = new Origin(Origin.Kind.HUB, repo, revision, r.commit(), read, cache.dir(repo), network);
        return ModelSources.fromConfig(reference, config, repo + "'s config.json", generation, weights, index, origin, notes);
    }

    /** A GGUF file of repository {@code repo} at {@code revision}, with every part of a split model. */
    ModelSource gguf(String reference, String repo, String revision, String file) {
        List<String> parts = ModelSources.splitParts(file);
        String commit = COMMIT.matcher(revision).matches() ? revision : null;
        HubCache.Ref ref = commit == null ? cache.ref(repo, revision) : null;
        if (ref != null && (settings.offline() || ref.age().compareTo(settings.refreshAfter()) < 0)) {
            commit = ref.commit();
        }
        List<GgufFile> headers = new ArrayList<>();
        for (String part : parts) {
            GgufFile h = commit == null ? null : cachedHeader(repo, commit, part, src -> GgufReader.read(src, part, GGUF_CHUNK));
            if (h == null) {
                offlineCheck(repo, revision, part);
                RemoteBytes src = new RemoteBytes(client(), resolveUri(repo, commit == null ? revision : commit, part),
                        "hf://" + repo + "@" + revision + "/" + part, e -> httpError(e, repo, revision, part));
                h = GgufReader.read(src, part, GGUF_CHUNK);
                if (commit == null && src.commit() != null && COMMIT.matcher(src.commit()).matches()) {
                    commit = src.commit();
                    if (!COMMIT.matcher(revision).matches()) {
                        tryWrite(() -> cache.writeRef(repo, revision, src.commit()));
                    }
                }
                byte[] header = src.prefix((int) h.headerBytes());
                if (commit != null) {
                    String c = commit;
                    tryWrite(() -> cache.writeHeader(repo, c, part, header));
                }
                read.add(new Origin.SourceFile(part, h.location(), src.etag(), src.size() < 0 ? null : src.size(), "header", false));
                network = true;
            }
            headers.add(h);
        }
        Origin origin = new Origin(Origin.Kind.HUB, repo, revision, commit, read, cache.dir(repo), network);
        return ModelSources.fromGguf(reference, headers, origin, notes);
    }

    /**
     * A weight file's header read with {@code reader} from a cache: the whole file in a snapshot, or the
     * header we kept; null when neither is cached (or readable).
     */
    private <T> T cachedHeader(String repo, String commit, String file, Function<ByteSource, T> reader) {
        Path whole = cache.file(repo, commit, file);
        Path p = whole != null ? whole : cache.header(repo, commit, file);
        if (p == null) {
            return null;
        }
        try (ByteSource src = whole != null ? FileBytes.open(p) : new MemoryBytes(p.toString(), Files.readAllBytes(p))) {
            T h = reader.apply(src);
            read.add(new Origin.SourceFile(file, p.toString(), null, whole == null ? null : Files.size(p), "header", true));
            return h;
        } catch (IOException e) {
            return null;
        }
    }

    /** The commit and file list of a revision: from the cache while fresh (always when offline), else from the Hub's API. */
    private Resolved resolve(String repo, String revision) {
        boolean isCommit = COMMIT.matcher(revision).matches();
        HubCache.Ref ref = isCommit ? null : cache.ref(repo, revision);
        String commit = isCommit ? revision : ref == null ? null : ref.commit();
        List<String> files = commit == null ? null : cache.files(repo, commit, !settings.offline());
        boolean fresh = files != null && (isCommit || ref.age().compareTo(settings.refreshAfter()) < 0);
        if (settings.offline()) {
            if (commit == null || files == null) {
                throw offlineMissing(repo, revision, null);
            }
            return new Resolved(commit, files);
        }
        if (fresh) {
            return new Resolved(commit, files);
        }
        URI api = URI.create(settings.endpoint() + "/api/models/" + repo + "/revision/" + encode(revision));
        HubClient.Response r;
        try {
            r = client().get(api, MAX_JSON);
        } catch (HubClient.HttpError e) {
            throw httpError(e, repo, revision, null);
        } catch (InvalidModelSourceException e) {
            List<String> cached = commit == null ? null : cache.files(repo, commit, false);
            if (cached != null) {
                notes.add("the Hub could not be reached (" + e.getMessage() + "); used the cached commit " + commit);
                return new Resolved(commit, cached);
            }
            throw e;
        }
        network = true;
        String json = new String(r.body(), StandardCharsets.UTF_8);
        ObjectNode info = ConfigJson.object(json, "the Hub's answer for " + repo + "@" + revision);
        String sha = info.path("sha").asText("");
        if (!COMMIT.matcher(sha).matches()) {
            throw new InvalidModelSourceException("the Hub's answer for " + repo + "@" + revision + " has no commit sha");
        }
        List<String> listed = siblings(json, "the Hub's answer for " + repo);
        tryWrite(() -> cache.writeInfo(repo, sha, r.body()));
        if (!isCommit) {
            tryWrite(() -> cache.writeRef(repo, revision, sha));
        }
        return new Resolved(sha, listed);
    }

    /** The file names of a Hub API answer ({@code siblings[].rfilename}), each checked to be a plain relative path. */
    static List<String> siblings(String json, String where) {
        JsonNode s = ConfigJson.object(json, where).get("siblings");
        if (s == null || !s.isArray()) {
            throw new InvalidModelSourceException(where + " lists no files (siblings)");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode f : s) {
            String name = f.path("rfilename").asText("");
            names.add(ModelReference.safePath(name, where));
        }
        return names;
    }

    /** A small file's text: from a cache, else the Hub (then cached). */
    private String text(String repo, String revision, String commit, String file) {
        Path p = cache.file(repo, commit, file);
        try {
            if (p != null) {
                String s = Files.readString(p, StandardCharsets.UTF_8);
                read.add(new Origin.SourceFile(file, p.toString(), null, Files.size(p), "whole", true));
                return s;
            }
        } catch (IOException e) {
            // unreadable cache: fetch again
        }
        offlineCheck(repo, revision, file);
        URI uri = resolveUri(repo, commit, file);
        HubClient.Response r;
        try {
            r = client().get(uri, MAX_JSON);
        } catch (HubClient.HttpError e) {
            throw httpError(e, repo, revision, file);
        }
        network = true;
        tryWrite(() -> cache.writeFile(repo, commit, file, r.body()));
        String etag = RemoteBytes.normalizeEtag(r.first("X-Linked-Etag") != null ? r.first("X-Linked-Etag") : r.first("ETag"));
        read.add(new Origin.SourceFile(file, uri.toString(), etag, (long) r.body().length, "whole", false));
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** A safetensors header: from a whole cached file or a cached header, else Range requests (then cached). */
    private SafetensorsFile safetensors(String repo, String revision, String commit, String file) {
        SafetensorsFile cached = cachedHeader(repo, commit, file, src -> SafetensorsReader.read(src, file, SAFETENSORS_CHUNK));
        if (cached != null) {
            return cached;
        }
        offlineCheck(repo, revision, file);
        URI uri = resolveUri(repo, commit, file);
        RemoteBytes src = new RemoteBytes(client(), uri, uri.toString(), e -> httpError(e, repo, revision, file));
        SafetensorsFile f = SafetensorsReader.read(src, file, SAFETENSORS_CHUNK);
        network = true;
        byte[] bytes = src.prefix((int) f.headerBytes());
        tryWrite(() -> cache.writeHeader(repo, commit, file, bytes));
        read.add(new Origin.SourceFile(file, uri.toString(), src.etag(), src.size() < 0 ? null : src.size(), "header", false));
        return f;
    }

    private URI resolveUri(String repo, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encode(revision) + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HubClient client() {
        if (client == null) {
            client = new HubClient(settings);
        }
        return client;
    }

    private void offlineCheck(String repo, String revision, String file) {
        if (settings.offline()) {
            throw offlineMissing(repo, revision, file);
        }
    }

    private InvalidModelSourceException offlineMissing(String repo, String revision, String file) {
        return new InvalidModelSourceException("HF_HUB_OFFLINE is set and " + (file == null ? "" : file + " of ")
                + repo + "@" + revision + " is not cached (looked in " + settings.cache() + " and " + settings.hfCache()
                + "); run once with network access, or unset HF_HUB_OFFLINE");
    }

    /** What an error status from the Hub means, in the user's terms. */
    InvalidModelSourceException httpError(HubClient.HttpError e, String repo, String revision, String file) {
        String page = settings.endpoint() + "/" + repo;
        String token = settings.token() == null ? null : "the token from " + settings.tokenSource();
        String setToken = "set HF_TOKEN to an access token of an account that has access (" + settings.endpoint()
                + "/settings/tokens), or save it in $HF_HOME/token with `hf auth login`";
        String what = file == null ? repo + "@" + revision : file + " of " + repo + "@" + revision;
        if ("Invalid credentials in Authorization header".equals(e.hubMessage)) {
            return new InvalidModelSourceException(token + " was refused by the Hub as invalid; " + setToken);
        }
        if ("GatedRepo".equals(e.code) || (e.status == 403 && e.code == null)) {
            return new InvalidModelSourceException(repo + " is a gated repository: ask for access at " + page + ", then "
                    + (token == null ? setToken : "make sure " + token + " belongs to the account that was given access"));
        }
        if (e.status == 401 || e.status == 403) {
            return new InvalidModelSourceException(repo + " was not found on " + settings.endpoint()
                    + ", or it is private or gated: check the name (org/name, as in the model page's URL); "
                    + (token == null ? "for a private or gated repository " + setToken
                    : token + " has no access to it"));
        }
        if (e.status == 404) {
            if ("RevisionNotFound".equals(e.code)) {
                return new InvalidModelSourceException(repo + " has no revision '" + revision
                        + "' (a branch, tag or commit hash; the default is main)");
            }
            if ("EntryNotFound".equals(e.code) || (file != null && !"RepoNotFound".equals(e.code))) {
                return new InvalidModelSourceException(what + " does not exist (HTTP 404 from " + e.uri + ")");
            }
            return new InvalidModelSourceException("no repository " + repo + " on " + settings.endpoint()
                    + ": check the name (org/name, as in the model page's URL)");
        }
        if (e.status == 429) {
            return new InvalidModelSourceException("the Hub kept answering 429 Too Many Requests for " + what + " after "
                    + settings.attempts() + " tries; wait a minute and try again"
                    + (token == null ? ", or set HF_TOKEN (signed-in requests get higher limits)" : ""));
        }
        if (e.status >= 500) {
            return new InvalidModelSourceException("the Hub answered HTTP " + e.status + " for " + what + " after "
                    + settings.attempts() + " tries; try again later, or set HF_HUB_OFFLINE=1 to use a cached copy");
        }
        return new InvalidModelSourceException("HTTP " + e.status + " from " + e.uri + " for " + what);
    }

    private void tryWrite(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            notes.add("could not write the cache in " + settings.cache() + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Reads the header of a GGUF at a plain URL (not cached). */
    ModelSource url(String reference, URI uri) {
        if (settings.offline()) {
            throw new InvalidModelSourceException("HF_HUB_OFFLINE is set, so " + uri + " cannot be read; unset it, or download the file");
        }
        List<GgufFile> headers = new ArrayList<>();
        for (String part : ModelSources.splitParts(uri.getRawPath())) {
            URI u = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + part
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            Function<HubClient.HttpError, InvalidModelSourceException> errors = e -> new InvalidModelSourceException(
                    e.status == 404 ? "no file at " + u + " (HTTP 404)"
                            : e.status == 401 || e.status == 403 ? u + " needs authorization (HTTP " + e.status + ")"
                            : "HTTP " + e.status + " from " + u);
            RemoteBytes src = new RemoteBytes(client(), u, u.toString(), errors);
            GgufFile h = GgufReader.read(src, last(part), GGUF_CHUNK);
            read.add(new Origin.SourceFile(last(part), u.toString(), src.etag(), src.size() < 0 ? null : src.size(), "header", false));
            headers.add(h);
        }
        Origin origin = new Origin(Origin.Kind.URL, null, null, null, read, null, true);
        return ModelSources.fromGguf(reference, headers, origin, notes);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
