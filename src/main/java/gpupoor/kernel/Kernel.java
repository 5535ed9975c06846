package gpupoor.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpupoor.kernel.protocol.KernelConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs the Jupyter kernel until Jupyter shuts it down or the process that started it goes away. Started as {@code java -jar gpupoor.jar kernel CONNECTION_FILE},
 * or, as the kernelspec does, as {@code java -cp gpupoor.jar gpupoor.kernel.Kernel CONNECTION_FILE},
 * which skips the command-line parser (about a third of a second of start-up on two cores).
 */
public final class Kernel {
    private static final Logger LOG = Logger.getLogger(Kernel.class.getName());
    private static final List<String> PORTS = List.of("shell_port", "control_port", "stdin_port", "hb_port", "iopub_port");

    private Kernel() {
    }

    /**
     * The kernelspec's entry point: {@code CONNECTION_FILE [ignored arguments...]}. Bad input exits
     * with code 2 and an {@code error:} line, as the command line does.
     *
     * @param args the connection file, then anything (e.g. the file names {@code jupyter run} appends)
     */
    public static void main(String[] args) {
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: gpupoor.kernel.Kernel CONNECTION_FILE");
            }
            run(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Serves the kernel on the sockets the connection file names; returns only by ending the JVM.
     *
     * @param connectionFile the JSON file Jupyter writes for the kernel (ip, ports, transport, key)
     * @throws IllegalArgumentException if the file is missing or is not a usable connection file
     */
    public static void run(Path connectionFile) {
        // JShell's start is what the first cell waits for: it begins before anything else.
        CompletableFuture<GpuPoorKernel.Session> session = GpuPoorKernel.startSession();
        KernelConnectionProperties props = readConnectionFile(connectionFile);
        quietLogging();
        exitWithParent();
        try {
            GpuPoorKernel kernel = new GpuPoorKernel(session);
            KernelConnection connection = new KernelConnection(props);
            kernel.onStartup();
            kernel.becomeHandlerForConnection(connection);
            connection.connect();
            GpuPoorKernel.preloadEngine();
            kernel.warmUpRenderers();
            connection.waitUntilClose();
        } catch (Exception | LinkageError e) {
            // e.g. a port already in use; without this the socket threads would keep a dead kernel alive
            System.err.println("error: the kernel could not start: " + e);
            ExitGuard.exit(1);
        }
        ExitGuard.exit(0);
    }

    /**
     * Reads and checks a connection file.
     *
     * @throws IllegalArgumentException naming what is wrong with the file
     */
    static KernelConnectionProperties readConnectionFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("connection file not found: " + file
                    + " (Jupyter passes the kernel one as {connection_file})");
        }
        String json;
        JsonObject object;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
            object = JsonParser.parseString(json).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the connection file " + file + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    .replaceFirst("^[\\w.]+(Exception|Error): ", "").replaceFirst(" path \\$.*", "");
            throw new IllegalArgumentException("not a Jupyter connection file: " + file + " (invalid JSON: " + why + ")");
        }
        for (String key : PORTS) {
            if (!object.has(key) || !object.get(key).isJsonPrimitive() || object.get(key).getAsInt() <= 0) {
                throw new IllegalArgumentException("connection file " + file + " has no valid " + key);
            }
        }
        if (!object.has("ip")) {
            throw new IllegalArgumentException("connection file " + file + " has no ip");
        }
        String transport = object.has("transport") ? object.get("transport").getAsString() : "tcp";
        if (!"tcp".equals(transport)) {
            throw new IllegalArgumentException("connection file " + file + ": transport '" + transport
                    + "' is not supported; the kernel accepts tcp");
        }
        String scheme = object.has("signature_scheme") ? object.get("signature_scheme").getAsString() : "hmac-sha256";
        if (!scheme.matches("hmac-sha(1|224|256|384|512)")) {
            throw new IllegalArgumentException("connection file " + file + ": signature scheme '" + scheme
                    + "' is not supported; use hmac-sha256");
        }
        return KernelConnectionProperties.parse(json);
    }

    /** jjava logs each socket loop's start and stop at INFO; the kernel log shows warnings only, one line each. */
    private static void quietLogging() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Formatter oneLine = new Formatter() {
            @Override
            public String format(LogRecord r) {
                String thrown = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
                return "[gpupoor kernel] " + r.getLevel() + ": " + formatMessage(r) + thrown + System.lineSeparator();
            }
        };
        for (Handler h : root.getHandlers()) {
            h.setFormatter(oneLine);
        }
    }

    /**
     * Ends the kernel when the process that started it ends, so no kernel is left orphaned: the
     * Jupyter process named by {@code JPY_PARENT_PID} (jupyter_client sets it) and the parent process
     * (a script, a terminal, another client), whichever ends first.
     */
    private static void exitWithParent() {
        String pid = System.getenv("JPY_PARENT_PID");
        if (pid != null && pid.matches("\\d{1,18}")) {
            watch(ProcessHandle.of(Long.parseLong(pid)), "the Jupyter process " + pid);
        }
        ProcessHandle.current().parent().filter(p -> p.pid() > 1)
                .ifPresent(p -> watch(java.util.Optional.of(p), "the parent process " + p.pid()));
    }

    private static void watch(java.util.Optional<ProcessHandle> process, String what) {
        process.ifPresentOrElse(
                p -> p.onExit().thenRun(() -> {
                    LOG.warning(what + " that started this kernel has exited; exiting");
                    ExitGuard.exit(0);
                }),
                () -> {
                    LOG.warning(what + " that started this kernel is gone; exiting");
                    ExitGuard.exit(0);
                });
    }
}
