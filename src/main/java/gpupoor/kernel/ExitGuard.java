package gpupoor.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.security.Permission;
import java.util.logging.Logger;

/**
 * Keeps cells from ending the kernel's JVM: while installed, {@code System.exit} and
 * {@code Runtime.halt} throw {@link ExitRefusedException} unless the kernel itself exits through
 * {@link #exit(int)}, and it cannot be removed ({@code System.setSecurityManager} throws). It is a
 * {@link SecurityManager} that permits everything else. Java 17 allows
 * installing one at run time; Java 18 to 23 need {@code -Djava.security.manager=allow} (the installer
 * adds it); where a JVM refuses, the kernel runs without the guard and says so in its log. The
 * kernel installs it once its JShell session has started: class loading under a security manager
 * is slower.
 */
@SuppressWarnings("removal")
final class ExitGuard extends SecurityManager {
    private static final Logger LOG = Logger.getLogger(ExitGuard.class.getName());
    private static volatile boolean exiting;

    private ExitGuard() {
    }

    /** Installs the guard, or logs why this JVM does not allow it. */
    static void install() {
        try {
            withStartupWarningsSilenced(() -> System.setSecurityManager(new ExitGuard()));
        } catch (UnsupportedOperationException | SecurityException e) {
            LOG.warning("a cell calling System.exit will end this kernel (Jupyter then restarts it): " + e.getMessage());
        }
    }

    /**
     * Java 17 prints a four-line "terminally deprecated" warning for {@code setSecurityManager} on the
     * stderr the JVM started with ({@code System.initialErrStream}, not {@code System.err}); it would
     * show in every {@code jupyter console} and server log. With {@code --add-opens
     * java.base/java.lang=ALL-UNNAMED} (in the kernelspec) that stream is muted for the call;
     * without it the warning is printed.
     */
    private static void withStartupWarningsSilenced(Runnable action) {
        java.lang.reflect.Field initialErr;
        try {
            initialErr = System.class.getDeclaredField("initialErrStream");
            initialErr.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException e) {
            action.run();
            return;
        }
        try {
            Object original = initialErr.get(null);
            initialErr.set(null, new PrintStream(OutputStream.nullOutputStream()));
            try {
                action.run();
            } finally {
                initialErr.set(null, original);
            }
        } catch (IllegalAccessException e) {
            action.run();
        }
    }

    /** Ends the JVM on the kernel's behalf (shutdown, parent gone). */
    static void exit(int status) {
        exiting = true;
        System.exit(status);
    }

    @Override
    public void checkExit(int status) {
        if (!exiting) {
            throw new ExitRefusedException(status);
        }
    }

    /** Refuses replacing or removing the guard ({@code System.setSecurityManager}); allows everything else. */
    @Override
    public void checkPermission(Permission perm) {
        if (perm instanceof RuntimePermission && "setSecurityManager".equals(perm.getName())) {
            throw new SecurityException("System.setSecurityManager was refused: the kernel's guard against "
                    + "System.exit stays in place (ending the JVM would lose the session)");
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }
}
