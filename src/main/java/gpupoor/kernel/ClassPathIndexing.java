package gpupoor.kernel;

import jdk.jshell.SourceCodeAnalysis;

import java.lang.reflect.Method;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps JShell's class-path indexing off the CPU while cells run. JShell indexes every package and
 * class of the class path (the JDK's modules and the 51 MB jar, 27,000 entries) on a thread of its
 * own as soon as its source analysis exists; only completion uses the index. On two cores that
 * thread took a core from the session's start and from the first cells of every notebook (about
 * 0.25 s of CPU per kernel). Here it is held while the session starts and while a cell runs, and
 * let go once the kernel has been idle for {@value #IDLE_MS} ms, or at once when completion or
 * inspection asks. JShell checks the hold before each file it indexes
 * ({@code SourceCodeAnalysisImpl.suspendIndexing/resumeIndexing}, public methods of a
 * package-private class, reached with the kernelspec's {@code --add-opens jdk.jshell/jdk.jshell});
 * without that access indexing runs as JShell runs it.
 */
final class ClassPathIndexing {
    private static final Logger LOG = Logger.getLogger(ClassPathIndexing.class.getName());
    /** How long the kernel must be idle before indexing goes on. */
    static final long IDLE_MS = 1000;

    private final SourceCodeAnalysis analysis;
    private final Method suspend;
    private final Method resume;
    private final ScheduledExecutorService timer;
    private boolean held;
    private long holds;

    private ClassPathIndexing(SourceCodeAnalysis analysis, Method suspend, Method resume) {
        this.analysis = analysis;
        this.suspend = suspend;
        this.resume = resume;
        this.timer = suspend == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jshell-indexing-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Holds the indexing of this analysis (just created, so that it has not started yet). */
    static ClassPathIndexing hold(SourceCodeAnalysis analysis) {
        Method suspend = null;
        Method resume = null;
        try {
            suspend = analysis.getClass().getMethod("suspendIndexing");
            resume = analysis.getClass().getMethod("resumeIndexing");
            suspend.setAccessible(true);
            resume.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine(() -> "JShell indexes the class path while cells run: " + e);
            suspend = null;
            resume = null;
        }
        ClassPathIndexing indexing = new ClassPathIndexing(analysis, suspend, resume);
        indexing.hold();
        return indexing;
    }

    /** Whether indexing is held now. */
    synchronized boolean isHeld() {
        return held;
    }

    /** A cell (or the session's start) begins: indexing waits. */
    synchronized void hold() {
        holds++;
        if (!held && call(suspend)) {
            held = true;
        }
    }

    /** A cell ended: indexing goes on if no other cell starts within {@value #IDLE_MS} ms. */
    synchronized void releaseWhenIdle() {
        if (!held) {
            return;
        }
        long cell = holds;
        timer.schedule(() -> {
            synchronized (this) {
                if (holds == cell) {
                    release();
                }
            }
        }, IDLE_MS, TimeUnit.MILLISECONDS);
    }

    /** Completion or inspection: the index is wanted now. */
    synchronized void release() {
        if (held && call(resume)) {
            held = false;
        }
    }

    private boolean call(Method method) {
        if (method == null) {
            return false;
        }
        try {
            method.invoke(analysis);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine(() -> "cannot " + method.getName() + ": " + e);
            return false;
        }
    }
}
