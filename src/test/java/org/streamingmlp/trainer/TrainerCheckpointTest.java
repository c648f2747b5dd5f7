package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;

/** The trainer thread writes checkpoints on request and at shutdown, and a new trainer resumes from them. */
class TrainerCheckpointTest {

    @TempDir
    Path dir;

    private static final float[][] PROBE = {{1, 0}, {0, 1}, {-1, -1}};

    private Trainer trainer(BlockingQueue<ConsumedExample> queue, SnapshotRegistry snapshots, CheckpointStore store) {
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2)));
        TrainerSettings settings = new TrainerSettings(8, Duration.ofMillis(20), 1, Duration.ofSeconds(1), 1000, 1, true,
                Duration.ofHours(1), 1_000_000, Duration.ofHours(1));
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        return new Trainer(learner, queue, snapshots, new ValidationWindow(10), settings, monitor, r -> { },
                e -> { }, store, Optional.ofNullable(store).flatMap(s -> {
                    try {
                        return s.loadNewestValid();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    @Test
    void checkpointsOnRequestAndAtShutdownAndResumesWithHigherVersions() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 5);
        BlockingQueue<ConsumedExample> queue = new ArrayBlockingQueue<>(1000);
        SnapshotRegistry snapshots = new SnapshotRegistry();
        Trainer first = trainer(queue, snapshots, store);
        Thread thread = new Thread(first);
        thread.start();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 400; i++) {
            int y = random.nextInt(2);
            queue.put(new ConsumedExample(new LabeledExample("e" + i, new float[] {y * 3f + (float) random.nextGaussian(),
                    100f + (float) random.nextGaussian()}, new Label.ClassIndex(y)), new SourceOffset("t", 0, i)));
        }
        while (!queue.isEmpty()) {
            Thread.sleep(10);
        }
        Path onRequest = first.requestCheckpoint().get(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(onRequest.resolve("model.safetensors")));
        assertEquals(java.util.Map.of("t-0", 400L), store.loadNewestValid().orElseThrow().trainingOffsets(),
                "the checkpoint resumes after the last example the trainer took");
        first.stop();
        thread.join(10_000);
        ServingModel last = snapshots.current().orElseThrow();
        float[][] before = last.predict(PROBE);

        SnapshotRegistry again = new SnapshotRegistry();
        trainer(new ArrayBlockingQueue<>(10), again, store);
        ServingModel resumed = again.current().orElseThrow();
        assertEquals(last.version() + 1, resumed.version(), "versions keep going up across restarts");
        assertEquals(last.step(), resumed.step());
        for (int i = 0; i < PROBE.length; i++) {
            assertArrayEquals(before[i], resumed.predict(PROBE)[i], 0f, "the resumed model answers as before");
        }
    }

    @Test
    void aCheckpointRequestFailsClearlyWhenCheckpointingIsOff() {
        Trainer trainer = trainer(new ArrayBlockingQueue<>(10), new SnapshotRegistry(), null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.requestCheckpoint().get());
        assertTrue(e.getCause().getMessage().contains("mlp.checkpoint.dir"), e.getCause().getMessage());
    }
}
