package gpupoor.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the points {@code 0 .. n-1} of a sweep in chunks on every core: the calling thread takes
 * chunks too and is the one that draws the progress bar and sees an interrupt, which stops the
 * other threads after their current chunk. Each chunk writes only its own points, so results land
 * where a loop over the points would put them.
 */
final class Parallel {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Helper threads, started on the first sweep large enough to split and kept for later ones. */
    private static volatile ExecutorService helpers;

    private Parallel() {
    }

    /** The work of one chunk: the points {@code from} (inclusive) to {@code to} (exclusive), chunk number {@code chunk}. */
    @FunctionalInterface
    interface Chunk {
        void run(int chunk, int from, int to);
    }

    /** How many chunks of {@code chunk} points {@code n} points make. */
    static int chunks(int n, int chunk) {
        return (n + chunk - 1) / chunk;
    }

    /**
     * Runs {@code work} over every chunk of {@code n} points and waits for all of them. A chunk
     * should be a few milliseconds of work, so that an interrupt stops every thread promptly.
     *
     * @param chunk points per chunk (the last chunk may have fewer)
     *
     * @throws CancellationException when the calling thread is interrupted (from {@link Progress#step})
     */
    static void run(int n, int chunk, Progress progress, Chunk work) {
        int chunks = chunks(n, chunk);
        int extra = Math.min(CORES - 1, chunks - 1);
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch helpersDone = new CountDownLatch(Math.max(extra, 0));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<AtomicBoolean> claimed = new ArrayList<>();
        for (int h = 0; h < extra; h++) {
            claimed.add(new AtomicBoolean());
        }
        try {
            for (AtomicBoolean mine : claimed) {
                pool().execute(() -> {
                    if (!mine.compareAndSet(false, true)) {
                        return; // the caller found it still queued and counted it done
                    }
                    Thread t = Thread.currentThread();
                    ClassLoader own = t.getContextClassLoader();
                    t.setContextClassLoader(loader);
                    try {
                        take(n, chunk, work, next, done, stop);
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                        stop.set(true);
                    } finally {
                        t.setContextClassLoader(own);
                        helpersDone.countDown();
                    }
                });
            }
            int c;
            while (!stop.get() && (c = next.getAndIncrement()) < chunks) {
                runChunk(n, chunk, work, c, done);
                progress.step(done.get());
            }
            // a helper still queued (behind another sweep's) has nothing left to take: it never runs
            for (AtomicBoolean helper : claimed) {
                if (helper.compareAndSet(false, true)) {
                    helpersDone.countDown();
                }
            }
            while (!helpersDone.await(Progress.REDRAW_MS, TimeUnit.MILLISECONDS)) {
                progress.step(done.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.step(done.get()); // throws the CancellationException
        } finally {
            stop.set(true); // on an interrupt (or a stopped cell thread) the helpers end after their chunk
        }
        Throwable f = failed.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        progress.step(done.get());
    }

    private static void take(int n, int chunk, Chunk work, AtomicInteger next, AtomicLong done, AtomicBoolean stop) {
        int chunks = chunks(n, chunk);
        int c;
        while (!stop.get() && (c = next.getAndIncrement()) < chunks) {
            runChunk(n, chunk, work, c, done);
        }
    }

    private static void runChunk(int n, int chunk, Chunk work, int c, AtomicLong done) {
        int from = c * chunk;
        int to = Math.min(n, from + chunk);
        work.run(c, from, to);
        done.addAndGet(to - from);
    }

    private static ExecutorService pool() {
        ExecutorService p = helpers;
        if (p == null) {
            synchronized (Parallel.class) {
                p = helpers;
                if (p == null) {
                    AtomicInteger count = new AtomicInteger();
                    p = Executors.newFixedThreadPool(Math.max(1, CORES - 1), r -> {
                        Thread t = new Thread(r, "gpupoor-sweep-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    helpers = p;
                }
            }
        }
        return p;
    }
}
