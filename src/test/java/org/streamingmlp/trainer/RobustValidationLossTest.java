package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * One extreme example in the validation window (it reaches the core only if the edge lets it through) must not make
 * the window's loss infinite: that loss would count as "no improvement" until early stopping froze training, and an
 * infinite median would turn the drift statistic into NaN.
 */
class RobustValidationLossTest {

    @Test
    void anExampleWithANonFiniteLossIsLeftOutOfTheEvaluationAndCounted() {
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(2, List.of(8), 2)));
        VersionedModel model = new VersionedModel(learner, new SnapshotRegistry(),
                VersionedModel.Schedule.everyStep(), 0L);
        ValidationWindow window = new ValidationWindow(100);
        Random random = new Random(2);
        for (int i = 0; i < 20; i++) {
            int y = random.nextInt(2);
            window.add(new LabeledExample("v" + i, new float[] {(float) random.nextGaussian(), y}, new Label.ClassIndex(y)));
        }
        window.add(new LabeledExample("extreme", new float[] {3e38f, -3e38f}, new Label.ClassIndex(0)));
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        Evaluator evaluator = new Evaluator(model, window, monitor, new Evaluator.Schedule(1, 10));

        assertFalse(Double.isFinite(learner.evaluateLoss(Batches.features(window.copy()),
                Batches.targets(window.copy()))), "the window's plain mean loss is not finite");
        evaluator.evaluate();

        double loss = evaluator.figures().validationLoss();
        assertTrue(Double.isFinite(loss), "validation loss " + loss);
        assertEquals(1, evaluator.ignoredValidationExamples());
        List<LabeledExample> normal = window.copy().subList(0, 20);
        assertEquals(learner.evaluateLoss(Batches.features(normal), Batches.targets(normal)), loss, 1e-6,
                "the mean over the other examples");
    }
}
