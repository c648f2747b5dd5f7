package org.streamingmlp.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.record.SourceOffset;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.ConsumedExample;

/** The trainer thread writes checkpoints on request and at shutdown, and a new trainer resumes from them. */
class TrainerCheckpointTest {

    @TempDir
    Path dir;

    private static final float[][] PROBE = {{1, 0}, {0, 1}, {-1, -1}};

    private static TrainerFixture trainer(CheckpointStore store) {
        TrainingConfig config = TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2)).withStandardizedFeatures(true);
        return new TrainerFixture(config, 8, 1000, 1, EarlyStoppingConfig.defaults(), store);
    }

    @Test
    void checkpointsOnRequestAndAtShutdownAndResumesWithHigherVersions() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 5);
        TrainerFixture fixture = trainer(store);
        Trainer first = fixture.trainer;
        Thread thread = new Thread(first);
        thread.start();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 400; i++) {
            int y = random.nextInt(2);
            fixture.inbox.put(new ConsumedExample(new LabeledExample("e" + i, new float[] {y * 3f + (float) random.nextGaussian(),
                    100f + (float) random.nextGaussian()}, new Label.ClassIndex(y)), new SourceOffset("t", 0, i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> first.status().training().examplesSeen() == 400);
        Path onRequest = first.requestCheckpoint().get(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(onRequest.resolve("model.safetensors")));
        assertEquals(java.util.Map.of("t-0", 400L), store.loadNewestValid().orElseThrow().positions().training(),
                "the checkpoint resumes after the last example the trainer took");
        first.stop();
        thread.join(10_000);
        ModelSnapshot last = fixture.snapshots.current().orElseThrow();
        float[][] before = last.predict(PROBE);
        assertTrue(last.featureScaling().count() == 400, "the model standardises by the 400 examples it learned");

        ModelSnapshot resumed = trainer(store).snapshots.current().orElseThrow();
        assertEquals(last.version() + 1, resumed.version(), "versions keep going up across restarts");
        assertEquals(last.step(), resumed.step());
        assertArrayEquals(last.featureScaling().mean(), resumed.featureScaling().mean(), 0.0,
                "the standardisation is part of the model, restored with it");
        for (int i = 0; i < PROBE.length; i++) {
            assertArrayEquals(before[i], resumed.predict(PROBE)[i], 0f, "the resumed model answers as before");
        }
    }

    @Test
    void aCheckpointRequestFailsClearlyWhenCheckpointingIsOff() {
        Trainer trainer = trainer(null).trainer;
        ExecutionException e = assertThrows(ExecutionException.class, () -> trainer.requestCheckpoint().get());
        assertTrue(e.getCause().getMessage().contains("mlp.checkpoint.dir"), e.getCause().getMessage());
    }
}
