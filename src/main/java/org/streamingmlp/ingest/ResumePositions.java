package org.streamingmlp.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * Where a labelled partition ({@code topic-partition}) resumes when it is assigned to this process. Offsets of the
 * labelled topics are never committed: the model's position in the stream lives in its checkpoint. So a partition
 * resumes past the last record this process took from it (queued or learned), or, for a partition not taken from
 * since startup, at the restored checkpoint's offset; with neither, the consumer starts at the beginning
 * ({@code auto.offset.reset=earliest}) and a new model learns it all. Each example thus reaches the model once,
 * across restarts and rebalances.
 */
public final class ResumePositions {

    private final Map<String, Long> checkpoint;
    private final OffsetRanges taken;

    /** @param checkpoint the restored checkpoint's offsets of the training and validation partitions (or none) */
    public ResumePositions(Map<String, Long> checkpoint, OffsetRanges taken) {
        this.checkpoint = Map.copyOf(checkpoint);
        this.taken = taken;
    }

    /** The offset to seek to, with why; empty: start where the consumer's reset policy says. */
    public Optional<Resume> of(String topicPartition) {
        Optional<Long> next = taken.next(topicPartition);
        if (next.isPresent()) {
            return Optional.of(new Resume(next.get(), "after the records this process took"));
        }
        return Optional.ofNullable(checkpoint.get(topicPartition)).map(o -> new Resume(o, "from the checkpoint"));
    }

    /** An offset to resume at, and the reason in words for the log. */
    public record Resume(long offset, String reason) {
    }
}
