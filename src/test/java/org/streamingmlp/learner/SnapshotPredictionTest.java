package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.streamingmlp.nn.MlpConfig;

/**
 * Snapshots predict without a lock, in workspaces shared by every snapshot of the model: answers from many threads
 * at once, alternating between versions, are the answers each snapshot gives alone; and the trainer's own
 * evaluation-mode outputs are those of a snapshot of the same step.
 */
class SnapshotPredictionTest {

    private static float[][] rows(Random random, int n) {
        float[][] x = new float[n][3];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static void learn(OnlineLearner learner, Random random, int steps) {
        for (int s = 0; s < steps; s++) {
            float[][] x = rows(random, 16);
            int[] y = new int[16];
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i][0] > 0 ? 1 : 0;
            }
            learner.learnMany(x, new Targets.Classes(y));
        }
    }

    @Test
    void concurrentPredictionsMatchEachSnapshotAlone() throws Exception {
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(3, List.of(16, 16), 2))
                .withStandardizedFeatures(true));
        Random random = new Random(7);
        learn(learner, random, 5);
        ModelSnapshot first = learner.snapshot(1);
        learn(learner, random, 5);
        ModelSnapshot second = learner.snapshot(2);
        float[][] probe = rows(random, 8);
        assertArrayEquals(learner.predict(probe, null), second.predict(probe), "the trainer's view is the snapshot's");
        float[][] alone1 = first.predict(probe);
        float[][] alone2 = second.predict(probe);

        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<float[][]>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ModelSnapshot snapshot = i % 2 == 0 ? first : second;
            answers.add(threads.submit(() -> snapshot.predict(probe)));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertArrayEquals(i % 2 == 0 ? alone1 : alone2, answers.get(i).get(30, TimeUnit.SECONDS),
                    "answer " + i + " mixed up its snapshot's parameters");
        }
        threads.shutdown();
    }
}
