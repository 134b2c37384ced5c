package org.networkspaces.sleigh;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr: results done (of the total, when
 * known) and the rate, redrawn in place at most five times a second, and
 * ended with a newline when the job is.  Off, it costs a branch per result.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final boolean on;
    private final long total;
    private final String label;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private long done;
    private long drawn = Long.MIN_VALUE;

    Progress(boolean on, long total, String label) {
        this(on, total, label, System.err);
    }

    Progress(boolean on, long total, String label, PrintStream out) {
        this.on = on;
        this.total = total;
        this.label = label;
        this.out = out;
    }

    synchronized void step() {
        done++;
        if (!on) return;
        long now = System.nanoTime();
        if (now - drawn >= REDRAW_NANOS) {
            drawn = now;
            draw(now);
        }
    }

    synchronized void finish() {
        if (!on) return;
        draw(System.nanoTime());
        out.println();
        out.flush();
    }

    private void draw(long now) {
        double seconds = Math.max((now - started) / 1e9, 1e-9);
        String of = total >= 0 ? String.format(Locale.ROOT, "%d/%d", done, total) : Long.toString(done);
        String pct = total > 0 ? String.format(Locale.ROOT, " %3d%%", 100 * done / total) : "";
        out.print(String.format(Locale.ROOT, "\r%s: %s done%s, %.1f/s, %.1f s", label, of, pct, done / seconds,
                seconds));
        out.flush();
    }
}
