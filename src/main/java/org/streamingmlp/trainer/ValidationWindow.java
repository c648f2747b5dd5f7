package org.streamingmlp.trainer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.ConsumedExample;

/**
 * The most recent validation examples, in arrival order, at most {@code capacity}: the stream edge adds,
 * the trainer thread reads a copy when it evaluates. Thread-safe.
 */
public final class ValidationWindow {

    private final int capacity;
    private final ArrayDeque<ConsumedExample> examples;
    /** Next offset after the newest record seen, per partition. */
    private final Map<String, Long> seen = new HashMap<>();
    private long received;

    public ValidationWindow(int capacity) {
        this.capacity = capacity;
        this.examples = new ArrayDeque<>(capacity);
    }

    public void add(LabeledExample example) {
        add(new ConsumedExample(example, null));
    }

    public synchronized void add(ConsumedExample example) {
        if (examples.size() == capacity) {
            examples.removeFirst();
        }
        examples.addLast(example);
        received++;
        if (example.source() != null) {
            seen.put(example.source().key(), example.source().offset() + 1);
        }
    }

    /**
     * Where to resume each validation partition so that the window refills as it is: the offset of its oldest
     * example still held, or past the newest seen for a partition with none held.
     */
    public synchronized Map<String, Long> resumeOffsets() {
        Map<String, Long> offsets = new TreeMap<>(seen);
        for (ConsumedExample e : examples) {
            if (e.source() != null) {
                offsets.merge(e.source().key(), e.source().offset(), Math::min);
            }
        }
        return offsets;
    }

    /** Forgets the examples held (they stay counted in {@link #received()}). */
    public synchronized void clear() {
        examples.clear();
    }

    public synchronized List<LabeledExample> copy() {
        List<LabeledExample> copy = new ArrayList<>(examples.size());
        examples.forEach(e -> copy.add(e.example()));
        return copy;
    }

    /** Validation examples received since startup, including those that have left the window. */
    public synchronized long received() {
        return received;
    }
}
