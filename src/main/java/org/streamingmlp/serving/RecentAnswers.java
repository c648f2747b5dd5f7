package org.streamingmlp.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few answers given, newest last, for people watching (the dashboard). Bounded; one short lock per
 * answered batch, never held while predicting.
 */
public final class RecentAnswers {

    private final int capacity;
    private final ArrayDeque<Answer> answers;

    public RecentAnswers(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.answers = new ArrayDeque<>(capacity);
    }

    void add(List<Answer> batch) {
        synchronized (answers) {
            for (Answer a : batch.subList(Math.max(0, batch.size() - capacity), batch.size())) {
                if (answers.size() == capacity) {
                    answers.removeFirst();
                }
                answers.addLast(a);
            }
        }
    }

    /** A copy, oldest first. */
    public List<Answer> snapshot() {
        synchronized (answers) {
            return new ArrayList<>(answers);
        }
    }
}
