package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.streamingmlp.nn.MlpConfig;

/**
 * Prediction batches run on padded row counts ({@link Inference#paddedRows}): every size gets exactly its own
 * answers, the same as each request alone, whatever the batch before it left in the workspace; and the padding stays
 * under a quarter of the batch with few shapes per doubling.
 */
class PaddedInferenceTest {

    @Test
    void paddedRowsAreFewShapesAndLessThanAQuarterMore() {
        assertEquals(1, Inference.paddedRows(1));
        assertEquals(8, Inference.paddedRows(8));
        for (int low = 8; low < 4096; low *= 2) {
            Set<Integer> shapes = new HashSet<>();
            for (int n = low + 1; n <= 2 * low; n++) {
                int rows = Inference.paddedRows(n);
                assertTrue(rows >= n && rows < n + n / 4 + 1, n + " -> " + rows);
                shapes.add(rows);
            }
            assertEquals(4, shapes.size(), "shapes for (" + low + ", " + 2 * low + "]: " + shapes);
        }
    }

    @Test
    void everyBatchSizeAnswersEachRowAsAlone() {
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(5, List.of(16, 16), 3))
                .withStandardizedFeatures(true));
        Random random = new Random(11);
        for (int s = 0; s < 5; s++) {
            float[][] x = rows(random, 16);
            int[] y = new int[16];
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i][0] > 0 ? (x[i][1] > 0 ? 2 : 1) : 0;
            }
            learner.learnMany(x, new Targets.Classes(y));
        }
        ModelSnapshot snapshot = learner.snapshot(1);
        // sizes that pad (9 -> 10, 17 -> 20, 37 -> 40, 301 -> 320) after larger batches of other rows, so the padding
        // rows of the workspace's arrays held other requests' features before
        for (int n : new int[] {40, 37, 20, 17, 10, 9, 320, 301, 1, 3}) {
            float[][] batch = rows(random, n);
            float[][] answers = snapshot.predict(batch);
            assertEquals(n, answers.length);
            for (int i = 0; i < n; i++) {
                float[] alone = snapshot.predict(new float[][] {batch[i]})[0];
                assertArrayEquals(alone, answers[i], 1e-6f, "row " + i + " of a batch of " + n);
            }
        }
    }

    private static float[][] rows(Random random, int n) {
        float[][] x = new float[n][5];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }
}
