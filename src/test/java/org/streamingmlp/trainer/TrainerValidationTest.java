package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;

/** Early stopping on a live trainer thread, where evaluations also happen while the stream pauses. */
class TrainerValidationTest {

    private static LabeledExample example(Random random, String id) {
        int y = random.nextInt(2);
        return new LabeledExample(id, new float[] {y * 4f - 2f + (float) random.nextGaussian(),
                (float) random.nextGaussian()}, new Label.ClassIndex(y));
    }

    @Test
    void aValidationStreamThatStartsFirstDoesNotStopTrainingBeforeItBegins() throws Exception {
        BlockingQueue<ConsumedExample> queue = new ArrayBlockingQueue<>(10_000);
        ValidationWindow validation = new ValidationWindow(200);
        SnapshotRegistry snapshots = new SnapshotRegistry();
        TrainerSettings settings = new TrainerSettings(16, Duration.ofMillis(20), 1, Duration.ofSeconds(1), 10, 20,
                false, Duration.ofHours(1), 1_000_000, Duration.ofHours(1));
        ValidationMonitor monitor = new ValidationMonitor(new EarlyStoppingConfig(3, 0.0,
                EarlyStoppingConfig.Mode.MIN), ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        Trainer trainer = new Trainer(new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2))),
                queue, snapshots, validation, settings, monitor, r -> { }, e -> { });
        Thread thread = new Thread(trainer);
        thread.start();
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {   // arrives in dribs while nothing trains: many idle evaluations of step 0
            validation.add(example(random, "v" + i));
            if (i % 20 == 19) {
                Thread.sleep(150);
            }
        }
        assertEquals("TRAINING", trainer.status().phase().name(), "training froze before it began");
        for (int i = 0; i < 1600; i++) {
            queue.put(new ConsumedExample(example(random, "t" + i), null));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (trainer.status().examplesSeen() < 1600 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        trainer.stop();
        thread.join(10_000);
        // Early stopping may well fire later on this easy problem, but only after training has taken steps.
        assertTrue(trainer.status().step() >= 20, "only " + trainer.status().step() + " steps were learned");
    }
}
