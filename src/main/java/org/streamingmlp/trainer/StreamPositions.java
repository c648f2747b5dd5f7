package org.streamingmlp.trainer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.record.ConsumedExample;

/**
 * Where the trainer stands in its input streams, for checkpoints: per training partition ({@code topic-partition})
 * the offset after the last example that went through the trainer, and per validation partition where the
 * {@link ValidationWindow} would refill from. Owned by the trainer thread.
 */
public final class StreamPositions {

    private final Map<String, Long> training;
    private final ValidationWindow validation;

    /** @param restored the training positions of the checkpoint the model was restored from (empty for a new one) */
    public StreamPositions(Map<String, Long> restored, ValidationWindow validation) {
        this.training = new TreeMap<>(restored);
        this.validation = validation;
    }

    /** The batch went through the trainer (learned, or deliberately not while frozen). */
    void passed(List<ConsumedExample> batch) {
        for (ConsumedExample consumed : batch) {
            if (consumed.source() != null) {
                training.put(consumed.source().key(), consumed.source().offset() + 1);
            }
        }
    }

    Checkpoint.Positions checkpoint() {
        return new Checkpoint.Positions(training, validation.resumeOffsets());
    }
}
