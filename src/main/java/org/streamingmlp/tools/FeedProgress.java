package org.streamingmlp.tools;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The feed's progress line, at most once a second: records sent by topic, the rate, the pass. On a terminal the
 * line is redrawn in place; in a log (no console) each update is a line of its own.
 */
final class FeedProgress {

    private final PrintStream out;
    private final boolean inPlace;
    private final long total;
    private final long passes;
    private final long start = System.nanoTime();
    private long lastPrint;

    /** {@code total}: records per pass; {@code passes}: 0 when unbounded. */
    FeedProgress(PrintStream out, boolean inPlace, long total, long passes) {
        this.out = out;
        this.inPlace = inPlace;
        this.total = total;
        this.passes = passes;
    }

    static FeedProgress silent() {
        return new FeedProgress(null, false, 0, 0);
    }

    void update(long sent, long pass, Map<String, Long> byTopic) {
        long now = System.nanoTime();
        if (out != null && now - lastPrint >= 1_000_000_000L) {
            lastPrint = now;
            print(sent, pass, byTopic, false);
        }
    }

    void done(Map<String, Long> byTopic) {
        if (out != null) {
            print(byTopic.values().stream().mapToLong(Long::longValue).sum(), -1, byTopic, true);
        }
    }

    private void print(long sent, long pass, Map<String, Long> byTopic, boolean last) {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        String bar = "";
        if (passes > 0 && total > 0 && !last) {
            double done = Math.min(1.0, sent / (double) (total * passes));
            int filled = (int) Math.round(done * 20);
            bar = "[" + "#".repeat(filled) + "-".repeat(20 - filled) + String.format(Locale.ROOT, "] %3.0f%% ",
                    done * 100);
        }
        String line = String.format(Locale.ROOT, "feed: %s%,d records %s %,.0f/s %s%s", bar, sent, byTopic,
                sent / seconds, last ? "in " + String.format(Locale.ROOT, "%.1f s", seconds)
                        : "pass " + pass + (passes > 0 ? "/" + passes : ""), "");
        if (inPlace && !last) {
            out.print("\r" + line + "   ");
        } else {
            out.println((inPlace ? "\r" : "") + line);
        }
        out.flush();
    }
}
