package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;

class MicroBatcherTest {

    private static LabeledExample example(int i) {
        return new LabeledExample("e-" + i, new float[] {i}, new Label.ClassIndex(0));
    }

    @Test
    void takesFullBatchesInArrivalOrder() throws Exception {
        BlockingQueue<LabeledExample> queue = new ArrayBlockingQueue<>(100);
        for (int i = 0; i < 10; i++) {
            queue.add(example(i));
        }
        MicroBatcher<LabeledExample> batcher = new MicroBatcher<>(queue, 4, Duration.ofSeconds(5));
        assertEquals(List.of("e-0", "e-1", "e-2", "e-3"), batcher.next().stream().map(LabeledExample::id).toList());
        assertEquals(4, batcher.next().size());
        assertEquals(6, queue.size() + 4);
    }

    @Test
    void trainsAPartialBatchAfterTheMaximumWait() throws Exception {
        BlockingQueue<LabeledExample> queue = new ArrayBlockingQueue<>(100);
        queue.add(example(1));
        queue.add(example(2));
        MicroBatcher<LabeledExample> batcher = new MicroBatcher<>(queue, 64, Duration.ofMillis(50));
        long start = System.nanoTime();
        List<LabeledExample> batch = batcher.next();
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, batch.size());
        assertTrue(waitedMillis >= 40, "returned a partial batch before the wait was over: " + waitedMillis + " ms");
    }

    @Test
    void keepsAPartialBatchPendingAcrossTicksUntilItIsFull() throws Exception {
        BlockingQueue<LabeledExample> queue = new ArrayBlockingQueue<>(100);
        MicroBatcher<LabeledExample> batcher = new MicroBatcher<>(queue, 3, Duration.ofHours(1));
        queue.add(example(1));
        assertTrue(batcher.next().isEmpty(), "a tick passes without a complete batch");
        queue.add(example(2));
        assertTrue(batcher.next().isEmpty());
        queue.add(example(3));
        queue.add(example(4));
        assertEquals(List.of("e-1", "e-2", "e-3"), batcher.next().stream().map(LabeledExample::id).toList());
    }

    @Test
    void returnsAnEmptyBatchWhenNothingArrives() throws Exception {
        MicroBatcher<LabeledExample> batcher = new MicroBatcher<>(new ArrayBlockingQueue<>(4), 4,
                Duration.ofMillis(10));
        assertTrue(batcher.next().isEmpty());
    }
}
