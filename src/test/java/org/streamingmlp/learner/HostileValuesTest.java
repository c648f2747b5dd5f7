package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;

/**
 * Non-finite and astronomically large values that reach the core anyway (the Kafka edge refuses them, the core must
 * not depend on it): the standardisation and the drift detector leave them out and count them, and stay finite.
 */
class HostileValuesTest {

    @Test
    void aNonFiniteRowIsLeftOutOfTheStandardisationAndCounted() {
        FeatureStandardizer standardizer = new FeatureStandardizer(2);
        standardizer.update(new float[][] {{1, 10}, {Float.NaN, 0}, {3, Float.POSITIVE_INFINITY}, {3, 30}});
        FeatureScaling scaling = standardizer.scaling();
        assertEquals(2, scaling.count());
        assertArrayEquals(new double[] {2, 20}, scaling.mean(), 1e-12);
        assertArrayEquals(new double[] {2, 200}, scaling.sumOfSquaredDeviations(), 1e-9);
        assertEquals(2, standardizer.ignoredRows());
    }

    @Test
    void aSkippedStepLeavesTheStandardisationAsItWas() {
        MlpConfig model = new MlpConfig(2, List.of(8), 2, Activation.RELU, 0.01, 0.0, Normalization.NONE);
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(model).withStandardizedFeatures(true));
        Random random = new Random(1);
        float[][] good = new float[16][2];
        int[] labels = new int[16];
        for (int i = 0; i < good.length; i++) {
            good[i][0] = (float) random.nextGaussian();
            good[i][1] = (float) random.nextGaussian();
            labels[i] = i % 2;
        }
        learner.learnMany(good, new Targets.Classes(labels));
        FeatureScaling before = learner.featureScaling();

        // a NaN feature: left out of the statistics, but it makes the loss NaN and the step is skipped
        float[][] poisoned = good.clone();
        poisoned[3] = new float[] {Float.NaN, 0};
        StepResult step = learner.learnMany(poisoned, new Targets.Classes(labels));

        assertTrue(step.skipped(), "expected a non-finite loss, got " + step.loss());
        FeatureScaling after = learner.featureScaling();
        assertEquals(before.count(), after.count());
        assertArrayEquals(before.mean(), after.mean());
        assertArrayEquals(before.sumOfSquaredDeviations(), after.sumOfSquaredDeviations());
    }

    /**
     * Why the Kafka edge bounds feature magnitudes (mlp.records.max-feature-magnitude): a single finite 3e38 is not
     * skipped by the learner (the standardised loss is finite) and flattens the feature's scaling for good.
     */
    @Test
    void oneHugeFiniteFeatureFlattensTheScaling() {
        FeatureStandardizer standardizer = new FeatureStandardizer(1);
        float[][] rows = new float[1000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {i % 2 == 0 ? -1f : 1f};
        }
        standardizer.update(rows);
        assertEquals(1f, standardizer.scaling().apply(new float[][] {{1f}})[0][0], 1e-3);
        standardizer.update(new float[][] {{3e38f}});
        float[][] scaled = standardizer.scaling().apply(new float[][] {{1f}, {-1f}});
        assertEquals(scaled[0][0], scaled[1][0], "1 and -1 are standardised to the same float: the model is blind");
    }

    @Test
    void pageHinkleyIgnoresAnInfiniteLossAndStillDetectsDrift() {
        PageHinkley detector = new PageHinkley(0.01, 0.3, 3);
        for (double x : new double[] {0.5, Double.POSITIVE_INFINITY, 0.5, Double.NEGATIVE_INFINITY, 0.5}) {
            assertFalse(detector.update(x));
            assertTrue(Double.isFinite(detector.statistic()), "statistic after " + x + ": " + detector.statistic());
        }
        assertEquals(3, detector.samples());
        assertEquals(2, detector.ignored());
        boolean fired = false;
        for (int i = 0; i < 20 && !fired; i++) {
            fired = detector.update(1.5);
        }
        assertTrue(fired, "a real rise of the loss must still be detected");
    }

    @Test
    void pageHinkleyStaysFiniteWhenHugeLossesWouldOverflowItsSums() {
        PageHinkley detector = new PageHinkley(0.01, 1e308, 1000);
        for (int i = 0; i < 10; i++) {
            detector.update(i % 2 == 0 ? Double.MAX_VALUE : -Double.MAX_VALUE);
            assertTrue(Double.isFinite(detector.statistic()), "statistic: " + detector.statistic());
            assertTrue(Double.isFinite(detector.state().mean()) && Double.isFinite(detector.state().cumulative()));
        }
        assertTrue(detector.ignored() > 0);
    }
}
