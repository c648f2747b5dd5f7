package org.streamingmlp.trainer;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.streamingmlp.record.ConsumedExample;

/**
 * Where decoded training examples wait for the trainer thread: a bounded queue. {@link #put} waits while it is full,
 * so a consumer that hands examples over slows down instead of growing memory (backpressure).
 */
public final class TrainingInbox {

    private final BlockingQueue<ConsumedExample> queue;

    public TrainingInbox(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands an example to the trainer, waiting while the inbox is full. */
    public void put(ConsumedExample example) throws InterruptedException {
        queue.put(example);
    }

    /** Examples waiting. */
    public int size() {
        return queue.size();
    }

    /** The trainer's view: micro-batches of {@code batchSize}, or fewer after {@code maxWait}. */
    public MicroBatcher<ConsumedExample> batches(int batchSize, Duration maxWait) {
        return new MicroBatcher<>(queue, batchSize, maxWait);
    }
}
