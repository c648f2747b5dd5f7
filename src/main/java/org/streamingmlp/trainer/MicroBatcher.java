package org.streamingmlp.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes examples off the bounded queue in micro-batches: a batch is complete when it holds {@code batchSize}
 * examples or when {@code maxWait} has passed since its first example arrived, so a slow stream still trains.
 * {@link #next()} never blocks longer than a short tick: it returns an empty list when no batch is complete yet
 * (a partial batch stays pending across calls), so the caller can do its periodic work between batches.
 * Batches hold the examples in arrival order and, while the stream flows, exactly {@code batchSize} of them.
 */
public final class MicroBatcher<T> {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<T> queue;
    private final int batchSize;
    private final long maxWaitNanos;
    private final long tickNanos;
    private List<T> pending;
    private long deadline;

    MicroBatcher(BlockingQueue<T> queue, int batchSize, Duration maxWait) {
        this.queue = queue;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.tickNanos = Math.min(TICK_NANOS, maxWaitNanos);
        this.pending = new ArrayList<>(batchSize);
    }

    /** Whether a full batch is already waiting: {@link #next()} would return it at once. */
    boolean fullBatchWaiting() {
        return pending.size() + queue.size() >= batchSize;
    }

    /** A complete batch, or an empty list if none completed within a tick. */
    List<T> next() throws InterruptedException {
        long tickEnd = System.nanoTime() + tickNanos;
        while (true) {
            if (pending.isEmpty()) {
                T first = queue.poll(tickEnd - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    return List.of();
                }
                pending.add(first);
                long now = System.nanoTime();
                deadline = now + maxWaitNanos;
                // A batch whose deadline falls within a tick from now is returned at its deadline, not a tick
                // later: without this, a tick that ends microseconds before the deadline returned nothing.
                tickEnd = Math.max(tickEnd, Math.min(deadline, now + tickNanos));
            }
            queue.drainTo(pending, batchSize - pending.size());
            long now = System.nanoTime();
            if (pending.size() >= batchSize || now - deadline >= 0) {
                List<T> batch = pending;
                pending = new ArrayList<>(batchSize);
                return batch;
            }
            long wait = Math.min(deadline - now, tickEnd - now);
            if (wait <= 0) {
                return List.of();   // the batch stays pending; the caller gets its tick
            }
            T next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next != null) {
                pending.add(next);
            }
        }
    }
}
