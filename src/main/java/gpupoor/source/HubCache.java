package gpupoor.source;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The two caches of Hub files: huggingface_hub's (read only: {@code models--org--name/refs/REV}
 * holds the commit of a branch or tag, {@code snapshots/COMMIT/FILE} the whole file) and this
 * calculator's, in the same layout plus {@code headers/COMMIT/FILE} (the leading bytes of a weight
 * file, up to the end of its header) and {@code info/COMMIT.json} (the Hub's list of the files at
 * that commit). Writes go to a temporary file first and are moved into place, so a reader never
 * sees half a file.
 */
final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path hf;
    private final Path ours;

    HubCache(Path hf, Path ours) {
        this.hf = hf;
        this.ours = ours;
    }

    /**
     * A revision's commit as cached.
     *
     * @param commit the commit
     * @param age    how long ago it was written
     */
    record Ref(String commit, Duration age) {
    }

    /** The repository's directory in our cache. */
    Path dir(String repo) {
        return ours.resolve(folder(repo));
    }

    /** The cached commit of {@code revision} (ours first, then huggingface_hub's), or null. */
    Ref ref(String repo, String revision) {
        for (Path root : roots()) {
            Path dir = root.resolve(folder(repo));
            Path f = dir.resolve("refs").resolve(revision);
            try {
                if (Files.isRegularFile(f)) {
                    String commit = Files.readString(f).trim();
                    if (COMMIT.matcher(commit).matches()) {
                        return new Ref(commit, Duration.between(Files.getLastModifiedTime(f).toInstant(), Instant.now()));
                    }
                }
            } catch (IOException e) {
                // an unreadable ref is a missing one
            }
        }
        return null;
    }

    /** A whole cached file at {@code commit} (ours first, then huggingface_hub's), or null. */
    Path file(String repo, String commit, String file) {
        for (Path root : roots()) {
            Path p = root.resolve(folder(repo)).resolve("snapshots").resolve(commit).resolve(file);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The cached header of a weight file at {@code commit} (ours), or null. */
    Path header(String repo, String commit, String file) {
        Path p = dir(repo).resolve("headers").resolve(commit).resolve(file);
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * The cached list of files at {@code commit}: ours, from the Hub's API (complete); else, unless
     * {@code complete} is asked for, the files huggingface_hub's snapshot holds (those it downloaded);
     * or null.
     */
    List<String> files(String repo, String commit, boolean complete) {
        Path info = dir(repo).resolve("info").resolve(commit + ".json");
        if (Files.isRegularFile(info)) {
            try {
                return Hub.siblings(Files.readString(info), info.toString());
            } catch (IOException | InvalidModelSourceException e) {
                // fall through to huggingface_hub's snapshot
            }
        }
        if (complete || hf == null) {
            return null;
        }
        Path snap = hf.resolve(folder(repo)).resolve("snapshots").resolve(commit);
        if (!Files.isDirectory(snap)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(snap)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(snap.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            return null;
        }
        return names;
    }

    void writeRef(String repo, String revision, String commit) throws IOException {
        write(dir(repo).resolve("refs").resolve(revision), commit.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void writeFile(String repo, String commit, String file, byte[] bytes) throws IOException {
        write(dir(repo).resolve("snapshots").resolve(commit).resolve(file), bytes);
    }

    void writeHeader(String repo, String commit, String file, byte[] bytes) throws IOException {
        write(dir(repo).resolve("headers").resolve(commit).resolve(file), bytes);
    }

    void writeInfo(String repo, String commit, byte[] json) throws IOException {
        write(dir(repo).resolve("info").resolve(commit + ".json"), json);
    }

    private List<Path> roots() {
        return hf == null ? List.of(ours) : List.of(ours, hf);
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** huggingface_hub's folder name for a model repository: {@code models--org--name}. */
    static String folder(String repo) {
        return "models--" + repo.replace("/", "--");
    }
}
