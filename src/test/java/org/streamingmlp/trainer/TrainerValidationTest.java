package org.streamingmlp.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.record.ConsumedExample;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;

/** Early stopping on a live trainer thread, where evaluations also happen while the stream pauses. */
class TrainerValidationTest {

    private static LabeledExample example(Random random, String id) {
        int y = random.nextInt(2);
        return new LabeledExample(id, new float[] {y * 4f - 2f + (float) random.nextGaussian(),
                (float) random.nextGaussian()}, new Label.ClassIndex(y));
    }

    @Test
    void aValidationStreamThatStartsFirstDoesNotStopTrainingBeforeItBegins() throws Exception {
        TrainerFixture fixture = new TrainerFixture(TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2)), 16, 10,
                20, new EarlyStoppingConfig(3, 0.0, EarlyStoppingConfig.Mode.MIN), null);
        Trainer trainer = fixture.trainer;
        Thread thread = new Thread(trainer);
        thread.start();
        Random random = new Random(4);
        // The validation window fills in dribs while nothing trains: each drib is evaluated while the stream pauses
        // (a new window, the same model of step 0), many more times than the patience of 3.
        for (int drib = 0; drib < 10; drib++) {
            for (int i = 0; i < 20; i++) {
                fixture.validation.add(example(random, "v" + drib + "-" + i));
            }
            long received = fixture.validation.received();
            await().atMost(Duration.ofSeconds(10)).until(() -> !hasNewEvidence(trainer, received));
        }
        assertEquals("training", trainer.status().earlyStopping().phase(), "training froze before it began");
        for (int i = 0; i < 1600; i++) {
            fixture.inbox.put(new ConsumedExample(example(random, "t" + i), null));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> trainer.status().training().examplesSeen() == 1600);
        trainer.stop();
        thread.join(10_000);
        // Early stopping may well fire later on this easy problem, but only after training has taken steps.
        assertTrue(trainer.status().step() >= 20, "only " + trainer.status().step() + " steps were learned");
    }

    @Test
    void aSlowStreamDoesNotCountAnEvaluationPerSmallBatch() throws Exception {
        // validate every 50 steps, patience 3: a slow stream pauses after every small batch, and each pause evaluates
        // the new model; those evaluations must not count towards early stopping before 50 steps have passed.
        TrainerFixture fixture = new TrainerFixture(TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2)), 16, 50,
                20, new EarlyStoppingConfig(3, 0.0, EarlyStoppingConfig.Mode.MIN), null);
        Trainer trainer = fixture.trainer;
        Thread thread = new Thread(trainer);
        thread.start();
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {   // labels independent of the features: the loss does not keep improving
            fixture.validation.add(new LabeledExample("v" + i, new float[] {(float) random.nextGaussian(),
                    (float) random.nextGaussian()}, new Label.ClassIndex(random.nextInt(2))));
        }
        for (int batch = 0; batch < 40; batch++) {
            for (int i = 0; i < 2; i++) {
                fixture.inbox.put(new ConsumedExample(example(random, "t" + batch + "-" + i), null));
            }
            int seen = 2 * (batch + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> trainer.status().training().examplesSeen() == seen);
        }
        TrainingReport status = trainer.status();
        trainer.stop();
        thread.join(10_000);
        assertTrue(status.step() >= 20 && status.step() < 50, "steps: " + status.step());
        assertEquals("training", status.earlyStopping().phase(), "early stopping counted the pauses' evaluations");
    }

    /** True until the trainer has evaluated a window of {@code received} examples (its report shows it). */
    private static boolean hasNewEvidence(Trainer trainer, long received) {
        return trainer.status().validation().validationExamples() < Math.min(received, 200);
    }
}
