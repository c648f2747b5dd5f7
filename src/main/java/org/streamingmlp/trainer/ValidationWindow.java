package org.streamingmlp.trainer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent validation examples, in arrival order, at most {@code capacity}: the stream edge adds,
 * the trainer thread reads a copy when it evaluates. Thread-safe.
 */
public final class ValidationWindow {

    private final int capacity;
    private final ArrayDeque<LabeledExample> examples;
    private long received;

    public ValidationWindow(int capacity) {
        this.capacity = capacity;
        this.examples = new ArrayDeque<>(capacity);
    }

    public synchronized void add(LabeledExample example) {
        if (examples.size() == capacity) {
            examples.removeFirst();
        }
        examples.addLast(example);
        received++;
    }

    /** Forgets the examples held (they stay counted in {@link #received()}). */
    public synchronized void clear() {
        examples.clear();
    }

    public synchronized List<LabeledExample> copy() {
        return new ArrayList<>(examples);
    }

    /** Validation examples received since startup, including those that have left the window. */
    public synchronized long received() {
        return received;
    }
}
