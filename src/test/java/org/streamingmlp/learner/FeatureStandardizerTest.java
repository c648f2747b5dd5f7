package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FeatureStandardizerTest {

    @Test
    void runningStatisticsMatchATwoPassComputation() {
        Random random = new Random(5);
        float[][] rows = new float[1000][2];
        for (float[] row : rows) {
            row[0] = (float) (1000 + 3 * random.nextGaussian());
            row[1] = (float) (-2 + 0.01 * random.nextGaussian());
        }
        FeatureStandardizer standardizer = new FeatureStandardizer(2);
        for (int i = 0; i < rows.length; i += 100) {
            standardizer.update(java.util.Arrays.copyOfRange(rows, i, i + 100));
        }
        for (int j = 0; j < 2; j++) {
            double mean = 0;
            for (float[] row : rows) {
                mean += row[j];
            }
            mean /= rows.length;
            double var = 0;
            for (float[] row : rows) {
                var += (row[j] - mean) * (row[j] - mean);
            }
            var /= rows.length;
            FeatureScaling scaling = standardizer.scaling();
            assertEquals(mean, scaling.mean()[j], 1e-9 * Math.abs(mean) + 1e-12);
            assertEquals(var, scaling.sumOfSquaredDeviations()[j] / scaling.count(), 1e-6 * var);
        }
        float[][] scaled = standardizer.scaling().apply(rows);
        double sum = 0;
        double squares = 0;
        for (float[] row : scaled) {
            sum += row[0];
            squares += row[0] * row[0];
        }
        assertEquals(0, sum / rows.length, 1e-3);
        assertEquals(1, squares / rows.length, 1e-3);
        assertEquals(1000f, rows[0][0], 20f, "apply must not change its input");
    }

    @Test
    void restoresAnEarlierScalingExactly() {
        FeatureStandardizer standardizer = new FeatureStandardizer(1);
        standardizer.update(new float[][] {{1}, {3}});
        FeatureScaling early = standardizer.scaling();
        standardizer.update(new float[][] {{100}, {200}});
        standardizer.restore(early);
        assertArrayEquals(early.mean(), standardizer.scaling().mean());
        assertEquals(2, standardizer.scaling().count());
        float[][] x = {{2f}};
        assertEquals(0f, standardizer.scaling().apply(x)[0][0], 1e-6f);
    }

    @Test
    void identityBeforeTheFirstExample() {
        FeatureStandardizer standardizer = new FeatureStandardizer(3);
        float[][] x = {{1, 2, 3}};
        assertSame(FeatureScaling.IDENTITY, standardizer.scaling());
        assertSame(x, standardizer.scaling().apply(x));
    }
}
