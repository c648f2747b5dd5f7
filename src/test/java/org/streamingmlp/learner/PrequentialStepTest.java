package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;

/**
 * {@link OnlineLearner#predictThenLearn} shares the first layers between the evaluation and the training pass: its
 * predictions and its step are bit for bit those of {@link OnlineLearner#predict} followed by
 * {@link OnlineLearner#learnMany}, with dropout, either normalisation, and feature standardisation.
 */
class PrequentialStepTest {

    @ParameterizedTest
    @CsvSource({"NONE, 0.2, false", "BATCH_NORM, 0.2, false", "LAYER_NORM, 0.0, false", "NONE, 0.2, true",
            "LAYER_NORM, 0.3, true"})
    void oneSharedPassEqualsAPredictionThenAStep(Normalization normalization, double dropout, boolean standardize) {
        MlpConfig model = new MlpConfig(6, List.of(16, 8), 3, Activation.RELU, 0.01, dropout, normalization);
        TrainingConfig config = TrainingConfig.defaults(model).withStandardizedFeatures(standardize);
        OnlineLearner apart = new OnlineLearner(config);
        OnlineLearner together = new OnlineLearner(config);
        Random random = new Random(3);
        for (int step = 0; step < 30; step++) {
            float[][] x = new float[12][6];
            int[] y = new int[12];
            for (int i = 0; i < x.length; i++) {
                y[i] = random.nextInt(3);
                for (int j = 0; j < 6; j++) {
                    x[i][j] = (float) (random.nextGaussian() * 3 + (j == y[i] ? 2 : 0));
                }
            }
            float[][] expected = apart.predict(x, null);
            StepResult expectedStep = apart.learnMany(x, null, new Targets.Classes(y), null);
            OnlineLearner.Prequential actual = together.predictThenLearn(x, null, new Targets.Classes(y), null);
            assertArrayEquals(expected, actual.predictions(), "predictions of step " + step);
            assertEquals(expectedStep.loss(), actual.step().loss(), 0.0, "loss of step " + step);
        }
        apart.parameterValues().forEach((name, values) ->
                assertArrayEquals(values, together.parameterValues().get(name), 0.0, name));
        apart.bufferValues().forEach((name, values) ->
                assertArrayEquals(values, together.bufferValues().get(name), 0.0, name));
    }
}
