package org.streamingmlp.ingest;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first and last offset taken from each partition of the labelled topics since startup: the data range the
 * model has seen (provenance on {@code GET /model}), and where a re-assigned partition resumes.
 */
public final class OffsetRanges {

    /** First and last offset consumed from one partition. */
    public record Range(long first, long last) {
    }

    private final Map<String, Range> ranges = new ConcurrentHashMap<>();

    public void consumed(String topic, int partition, long offset) {
        ranges.merge(topic + "-" + partition, new Range(offset, offset),
                (old, now) -> new Range(Math.min(old.first(), offset), Math.max(old.last(), offset)));
    }

    /** The offset after the last one taken from {@code topic-partition} since startup, if any. */
    public Optional<Long> next(String key) {
        Range range = ranges.get(key);
        return range == null ? Optional.empty() : Optional.of(range.last() + 1);
    }

    /** By {@code topic-partition}, sorted. */
    public Map<String, Range> snapshot() {
        return new TreeMap<>(ranges);
    }
}
