package gpupoor.dsl;

import gpupoor.widgets.FrontEnd;
import gpupoor.widgets.HBox;
import gpupoor.widgets.HtmlText;
import gpupoor.widgets.ProgressBar;
import gpupoor.widgets.Widgets;

import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * Progress and interruption of a long computation: checks the thread's interrupt flag at every
 * step and stops with a {@link CancellationException} (restoring the flag). For large jobs it shows
 * one progress bar with the points done and the time left: a widget where the notebook renders
 * widgets, else one line of text replaced in place ({@code update_display_data}; a carriage return
 * in jshell). It is drawn first after {@value #REDRAW_MS} ms, then at most that often.
 */
final class Progress {
    /** The least time between two redraws. */
    static final long REDRAW_MS = 150;
    private static final int BAR_CELLS = 24;

    private final String what;
    private final long total;
    private final boolean show;
    private final long start = System.nanoTime();
    /** When the bar was last drawn; the first drawing waits {@value #REDRAW_MS} ms, so short jobs show none. */
    private long shownAt = start;
    private long shownDone = -1;
    private String displayId;
    private ProgressBar bar;
    private HtmlText label;
    private boolean finished;

    /**
     * @param what  what is computed, e.g. {@code sweep}
     * @param total steps in all
     * @param show  whether to show a progress bar
     */
    Progress(String what, long total, boolean show) {
        this.what = what;
        this.total = total;
        this.show = show && total > 0;
    }

    /**
     * Call when {@code done} steps are done: after each step, after a batch of them, or again with the
     * same count while waiting for other threads; throws when the thread was interrupted.
     */
    void step(long done) {
        stopIfInterrupted(done);
        if (show) {
            show(done);
        }
    }

    private void stopIfInterrupted(long done) {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            String why = String.format("interrupted after %,d of %,d points", done, total);
            if (show) {
                finish(done, why, true);
            }
            throw new CancellationException(what + " " + why);
        }
    }

    private void show(long done) {
        long now = System.nanoTime();
        if (done == total) {
            finish(done, String.format("%,d points in %s", total, duration(now - start)), false);
        } else if (now - shownAt >= REDRAW_MS * 1_000_000L) {
            draw(done, now);
        }
    }

    private synchronized void draw(long done, long now) {
        if (done <= shownDone) {
            return;
        }
        shownDone = done;
        shownAt = now;
        long elapsed = now - start;
        String eta = done == 0 ? "" : ", " + duration((long) ((double) elapsed * (total - done) / done)) + " left";
        String text = String.format("%d%% (%,d of %,d points) in %s%s", 100 * done / total, done, total,
                duration(elapsed), eta);
        FrontEnd front = Widgets.frontEnd();
        if (front.rendersWidgets()) {
            if (bar == null) {
                bar = new ProgressBar(what, 0, total);
                label = new HtmlText("");
                new HBox(bar, label).show();
            }
            bar.value(done);
            label.value(escape(text));
        } else {
            boolean first = displayId == null;
            if (first) {
                displayId = "gpupoor-progress-" + UUID.randomUUID();
            }
            front.showText(displayId, what + " " + cells(done) + " " + text, html(done, text), !first);
        }
    }

    /** The last drawing: the bar full (or red when interrupted) and the total time (or where it stopped). */
    private synchronized void finish(long done, String text, boolean interrupted) {
        if (finished) {
            return;
        }
        finished = true;
        if (bar == null && displayId == null) {
            if (!interrupted && System.nanoTime() - start < REDRAW_MS * 1_000_000L) {
                return; // finished before its first drawing: no bar at all
            }
            draw(Math.max(0, done - 1), System.nanoTime());
        }
        if (bar != null) {
            bar.value(done);
            bar.barStyle(interrupted ? "danger" : "success");
            label.value(escape(text));
        } else {
            String line = what + " " + cells(done) + " " + text;
            Widgets.frontEnd().showText(displayId, line + System.lineSeparator(), html(done, text), true);
        }
    }

    /** The bar as text, e.g. {@code ▕██████▍     ▏}. */
    private String cells(long done) {
        double filled = BAR_CELLS * (double) done / total;
        int full = (int) filled;
        String eighths = " ▏▎▍▌▋▊▉";
        int part = (int) ((filled - full) * 8);
        StringBuilder sb = new StringBuilder("▕");
        sb.append("█".repeat(full));
        if (full < BAR_CELLS) {
            sb.append(eighths.charAt(part)).append(" ".repeat(BAR_CELLS - full - 1));
        }
        return sb.append('▏').toString();
    }

    private String html(long done, String text) {
        return "<progress value=\"" + done + "\" max=\"" + total + "\" style=\"width:16em\"></progress> "
                + escape(what + ": " + text);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A duration as {@code 0.4 s}, {@code 12 s} or {@code 3 min 05 s}. */
    static String duration(long nanos) {
        double s = nanos / 1e9;
        if (s < 10) {
            return String.format("%.1f s", s);
        }
        if (s < 60) {
            return String.format("%.0f s", s);
        }
        long whole = Math.round(s);
        return String.format("%d min %02d s", whole / 60, whole % 60);
    }
}
