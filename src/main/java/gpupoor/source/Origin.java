package gpupoor.source;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a model description came from.
 *
 * @param kind      a Hub repository, a local file or directory, or a URL
 * @param repo      the Hub repository ({@code org/name}), or null
 * @param revision  the revision asked for ({@code main} unless {@code org/name@rev} said otherwise), or null
 * @param commit    the commit the revision resolved to (from the Hub's API or {@code X-Repo-Commit}, or the cache), or null
 * @param files     the files read, in order
 * @param cacheDir  the cache directory of the repository (ours or huggingface_hub's), or null
 * @param network   true when something was fetched over the network (false: all from local files or the caches)
 */
public record Origin(Kind kind, String repo, String revision, String commit, List<SourceFile> files, Path cacheDir,
                     boolean network) {

    /** The kinds of source. */
    public enum Kind { HUB, LOCAL, URL }

    /** Keeps the file list unmodifiable. */
    public Origin {
        files = List.copyOf(files);
    }

    /**
     * One file read.
     *
     * @param name     its name in the repository or directory ({@code config.json}, {@code model-00001-of-00004.safetensors})
     * @param location its path or URL
     * @param etag     the Hub's ETag for it ({@code X-Linked-Etag}, else {@code ETag}), or null
     * @param size     the whole file's size in bytes where known ({@code X-Linked-Size}, {@code Content-Range}, the file system), else null
     * @param part     what was read: {@code whole} or {@code header}
     * @param cached   true when it was read from a cache
     */
    public record SourceFile(String name, String location, String etag, Long size, String part, boolean cached) {
    }
}
