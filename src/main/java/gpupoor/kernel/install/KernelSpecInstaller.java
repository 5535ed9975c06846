package gpupoor.kernel.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Installs the kernel as a Jupyter kernelspec: a directory {@code kernels/NAME} under a Jupyter data
 * directory holding {@code kernel.json} (from the {@code kernel/} template, with this JVM's absolute
 * {@code java} path), the logos, a copy of the jar and, when it can be made, an AppCDS archive of
 * the classes a session loads (it makes the kernel start faster; it is tied to this jar and JVM).
 */
public final class KernelSpecInstaller {
    /** The default kernelspec name. */
    public static final String DEFAULT_NAME = "gpupoor";
    /** The jar's name inside the kernelspec directory. */
    static final String JAR = "gpupoor.jar";
    /** The AppCDS archive's name inside the kernelspec directory. */
    static final String ARCHIVE = "gpupoor.jsa";
    private static final String TEMPLATE = "kernel/";
    private static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where to install, as {@code jupyter kernelspec install} names it. */
    public enum Scope {
        /** The user's Jupyter data directory ({@code JUPYTER_DATA_DIR}, else the platform default). */
        USER,
        /** The active Python environment ({@code VIRTUAL_ENV} or {@code CONDA_PREFIX}). */
        SYS_PREFIX,
        /** A given prefix: {@code PREFIX/share/jupyter}. */
        PREFIX
    }

    /**
     * What was installed.
     *
     * @param directory  the kernelspec directory
     * @param argv       the command line Jupyter will run
     * @param cdsArchive whether an AppCDS archive was made
     * @param cdsNote    why no archive was made, or its size
     */
    public record Result(Path directory, List<String> argv, boolean cdsArchive, String cdsNote) {
    }

    private final Map<String, String> env;
    private final Path java;

    /**
     * An installer for the environment given (normally {@code System.getenv()}) that writes this
     * JVM's {@code java} into the kernelspec.
     */
    public KernelSpecInstaller(Map<String, String> env) {
        this.env = env;
        this.java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
    }

    /**
     * The Jupyter data directory of a scope, as jupyter_core computes it.
     *
     * @param prefix the prefix for {@link Scope#PREFIX} (ignored otherwise)
     * @throws IllegalArgumentException for {@link Scope#SYS_PREFIX} outside a Python environment
     */
    public Path dataDirectory(Scope scope, Path prefix) {
        return switch (scope) {
            case PREFIX -> prefix.toAbsolutePath().resolve("share").resolve("jupyter");
            case SYS_PREFIX -> {
                String venv = firstSet("VIRTUAL_ENV", "CONDA_PREFIX");
                if (venv == null) {
                    throw new IllegalArgumentException("--sys-prefix needs an active Python environment "
                            + "(VIRTUAL_ENV or CONDA_PREFIX is not set); use --user or --prefix DIR");
                }
                yield Path.of(venv).resolve("share").resolve("jupyter");
            }
            case USER -> userDataDirectory();
        };
    }

    private Path userDataDirectory() {
        String explicit = env.get("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        Path home = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Jupyter");
        }
        if (isWindows()) {
            String appData = env.get("APPDATA");
            return (appData != null ? Path.of(appData) : home).resolve("jupyter");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("jupyter");
    }

    /**
     * Checks a kernelspec name as Jupyter does (letters, digits, {@code . _ -}) and lower-cases it.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid kernel name '" + name
                    + "': use letters, digits, '.', '_' and '-' (e.g. " + DEFAULT_NAME + ")");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Installs the kernelspec {@code name} under {@code dataDirectory/kernels}, replacing an earlier
     * install of the same name.
     *
     * @param jar     the jar to copy (the one this code runs from)
     * @param withCds whether to try to make the AppCDS archive
     */
    public Result install(Path dataDirectory, String name, Path jar, boolean withCds) throws IOException {
        String kernelName = checkName(name);
        Path dir = dataDirectory.resolve("kernels").resolve(kernelName);
        Files.createDirectories(dir);
        for (String logo : LOGOS) {
            copyResource(TEMPLATE + logo, dir.resolve(logo));
        }
        // Copy, then rename over the old jar: a kernel still running keeps its open file.
        Path tmp = Files.createTempFile(dir, "gpupoor", ".jar.tmp");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dir.resolve(JAR), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(ARCHIVE));

        ObjectNode spec = template();
        List<String> argv = argv(spec, dir, List.of());
        boolean cds = false;
        String note = "not requested";
        if (withCds) {
            CdsArchive.Outcome outcome = CdsArchive.create(argv, dir, dir.resolve(ARCHIVE));
            cds = outcome.created();
            note = outcome.note();
            if (cds) {
                argv = argv(spec, dir, List.of("-XX:SharedArchiveFile={resource_dir}/" + ARCHIVE, "-Xshare:auto"));
            }
        }
        ArrayNode argvNode = spec.putArray("argv");
        argv.forEach(argvNode::add);
        if (!kernelName.equals(DEFAULT_NAME)) {
            spec.put("display_name", spec.get("display_name").asText().replace(")", ", " + kernelName + ")"));
        }
        Files.writeString(dir.resolve("kernel.json"), JSON.writeValueAsString(spec) + System.lineSeparator());
        return new Result(dir, argv, cds, note);
    }

    /** The template's command line with this JVM's absolute java and the extra JVM flags after it. */
    private List<String> argv(ObjectNode spec, Path dir, List<String> extraFlags) {
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        argv.set(0, java.toString());
        List<String> flags = new ArrayList<>(extraFlags);
        int feature = Runtime.version().feature();
        if (feature >= 18 && feature <= 23) {
            // Lets ExitGuard refuse System.exit in cells (a SecurityManager; Java 17 needs no flag).
            flags.add("-Djava.security.manager=allow");
        }
        argv.addAll(1, flags);
        return argv;
    }

    private static ObjectNode template() throws IOException {
        try (InputStream in = resource(TEMPLATE + "kernel.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = KernelSpecInstaller.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the kernelspec template " + name + " is missing from the jar");
        }
        return in;
    }

    /**
     * The jar this code runs from.
     *
     * @throws IllegalStateException when not running from a jar (e.g. from target/classes)
     */
    public static Path runningJar() {
        try {
            Path location = Path.of(KernelSpecInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IllegalStateException("install must run from the jar: java -jar target/gpupoor.jar install");
            }
            return location;
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the running jar", e));
        }
    }

    private String firstSet(String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
