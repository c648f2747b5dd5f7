package org.streamingmlp.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes examples off the bounded queue in micro-batches: a batch is complete when it holds
 * {@code batchSize} examples or when {@code maxWait} has passed since its first example arrived,
 * so a slow stream still trains. Returns an empty list when nothing arrived within {@code maxWait}.
 */
final class MicroBatcher<T> {

    private final BlockingQueue<T> queue;
    private final int batchSize;
    private final long maxWaitNanos;

    MicroBatcher(BlockingQueue<T> queue, int batchSize, Duration maxWait) {
        this.queue = queue;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWait.toNanos();
    }

    List<T> next() throws InterruptedException {
        List<T> batch = new ArrayList<>(batchSize);
        T first = queue.poll(maxWaitNanos, TimeUnit.NANOSECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) {
                break;
            }
            T next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }
}
