package org.streamingmlp.serving;

/** How old the serving snapshot is: the freshness a predictor reports in {@code GET /model} and as a gauge. */
public final class SnapshotAge {

    private SnapshotAge() {
    }

    /** Seconds since the current snapshot was made; null before the first one. */
    public static Double seconds(SnapshotRegistry snapshots) {
        var publishedAt = snapshots.publishedAt();
        return publishedAt.isPresent() ? Math.max(0, System.currentTimeMillis() - publishedAt.getAsLong()) / 1000.0
                : null;
    }
}
