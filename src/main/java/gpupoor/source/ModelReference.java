package gpupoor.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model reference as a user types it, told apart: a Hub repository {@code org/name[@revision]},
 * a GGUF file on the Hub {@code hf://org/name[@revision]/path/file.gguf}, an {@code https://} URL of
 * a GGUF file, a local {@code .gguf} file, a local {@code config.json}, or a local model directory.
 */
sealed interface ModelReference {
    /** What every reference may be, for messages. */
    String ACCEPTED = "a Hub id org/name (optionally @revision), a .gguf file, a config.json, a model directory,"
            + " an https:// URL of a .gguf file, or hf://org/name/file.gguf";

    /** A repository name part: letters, digits, '-', '_', '.', not starting or ending with '-' or '.'. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");
    Pattern HUB_ID = Pattern.compile("(" + NAME.pattern() + "/" + NAME.pattern() + ")(?:@(.*))?");

    /** A Hub repository at a revision. */
    record Hub(String repo, String revision) implements ModelReference {
    }

    /** One file of a Hub repository at a revision. */
    record HubFile(String repo, String revision, String file) implements ModelReference {
    }

    /** A GGUF file at a URL. */
    record Url(URI uri) implements ModelReference {
    }

    /** A local GGUF file. */
    record LocalGguf(Path path) implements ModelReference {
    }

    /** A local config.json. */
    record LocalConfig(Path path) implements ModelReference {
    }

    /** A local directory with config.json and weights, or GGUF files. */
    record LocalDir(Path path) implements ModelReference {
    }

    /**
     * Tells what {@code text} refers to; {@code endpoint} is the Hub's URL (a URL of a file on it is
     * read as a Hub file, so that it is cached).
     *
     * @throws InvalidModelSourceException when it is none of the accepted forms
     */
    static ModelReference parse(String text, URI endpoint) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new InvalidModelSourceException("no model given; give " + ACCEPTED);
        }
        if (s.startsWith("hf://")) {
            return hfUri(s);
        }
        if (s.startsWith("https://") || s.startsWith("http://")) {
            return url(s, endpoint);
        }
        Path p = Path.of(s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s);
        if (Files.isDirectory(p)) {
            return new LocalDir(p);
        }
        if (Files.isRegularFile(p)) {
            String name = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".gguf")) {
                return new LocalGguf(p);
            }
            if (name.endsWith(".json")) {
                return new LocalConfig(p);
            }
            if (name.endsWith(".safetensors")) {
                return new LocalDir(p.toAbsolutePath().getParent());
            }
            throw new InvalidModelSourceException("'" + s + "' is a file, but not a .gguf, .json or .safetensors file; give " + ACCEPTED);
        }
        Matcher m = HUB_ID.matcher(s);
        if (m.matches() && !m.group(1).contains("..") && !m.group(1).contains("--")) {
            return new Hub(m.group(1), revision(m.group(2), s));
        }
        if (s.startsWith("/") || s.startsWith(".") || s.startsWith("~") || s.matches("(?i).*\\.(gguf|json|safetensors)$")) {
            throw new InvalidModelSourceException("no file or directory '" + s + "'");
        }
        throw new InvalidModelSourceException("'" + s + "' is not a model reference; give " + ACCEPTED);
    }

    private static ModelReference hfUri(String s) {
        String rest = s.substring("hf://".length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 2) {
            throw new InvalidModelSourceException("'" + s + "' is not an hf:// reference; write hf://org/name/file.gguf");
        }
        String name = parts[1];
        String revision = "main";
        int at = name.indexOf('@');
        if (at >= 0) {
            revision = revision(name.substring(at + 1), s);
            name = name.substring(0, at);
        }
        String repo = parts[0] + "/" + name;
        if (!HUB_ID.matcher(repo).matches()) {
            throw new InvalidModelSourceException("'" + repo + "' in '" + s + "' is not a Hub repository id (org/name)");
        }
        if (parts.length == 2 || parts[2].isEmpty()) {
            return new Hub(repo, revision);
        }
        String file = safePath(parts[2], s);
        if (!file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            throw new InvalidModelSourceException("'" + s + "' names a file that is not a .gguf file; for a safetensors model give the repository: "
                    + repo);
        }
        return new HubFile(repo, revision, file);
    }

    private static ModelReference url(String s, URI endpoint) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new InvalidModelSourceException("'" + s + "' is not a valid URL: " + e.getMessage());
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (HubClient.sameOrigin(uri, endpoint)) {
            Matcher m = Pattern.compile("/([^/]+/[^/]+)/(?:resolve|blob)/([^/]+)/(.+)").matcher(path);
            if (m.matches() && m.group(3).toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
                return new HubFile(m.group(1), revision(java.net.URLDecoder.decode(m.group(2),
                        java.nio.charset.StandardCharsets.UTF_8), s), safePath(m.group(3), s));
            }
        }
        if (!path.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            throw new InvalidModelSourceException("the URL '" + s + "' does not name a .gguf file; URLs are read as GGUF files"
                    + " (for a Hub repository give org/name)");
        }
        return new Url(uri);
    }

    /** A revision (branch, tag or commit), checked to be usable as a cache path. */
    static String revision(String rev, String whole) {
        if (rev == null) {
            return "main";
        }
        if (rev.isBlank()) {
            throw new InvalidModelSourceException("'" + whole + "' has an empty revision after '@'");
        }
        return safePath(rev, whole);
    }

    /** A relative path with no empty, '.' or '..' parts (so that it cannot leave a cache directory). */
    static String safePath(String path, String whole) {
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\") || part.contains("\0")) {
                throw new InvalidModelSourceException("'" + path + "' in '" + whole + "' is not a plain relative path");
            }
        }
        return path;
    }
}
