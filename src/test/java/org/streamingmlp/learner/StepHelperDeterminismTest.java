package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.Gemm;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * The benchmark's model (784-256-256-10, ReLU, dropout 0.2, float32, batch 64), where every pass that may use the step
 * helper does: training is bitwise the same run to run, with the helper or without it, and from a checkpoint.
 */
class StepHelperDeterminismTest {
    private static final int BATCH = 64;
    private static final int STEPS = 6;
    private final boolean splitBefore = Gemm.splitsAcrossHelper();

    @AfterEach
    void restoreSplit() {
        Gemm.splitAcrossHelper(splitBefore);
    }

    private static OnlineLearner learner() {
        MlpConfig model = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, Normalization.NONE);
        // a small max norm, so clipping acts and the norm's value matters
        return new OnlineLearner(new TrainingConfig(model, LossKind.CROSS_ENTROPY,
                new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false), new ScheduleConfig(2, 100, 0.0, false), 0.5,
                7L, DataType.FLOAT));
    }

    private static float[][] features(int step) {
        SplittableRandom r = new SplittableRandom(100 + step);
        float[][] x = new float[BATCH][784];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextDouble();
            }
        }
        return x;
    }

    private static Targets labels(int step) {
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = (i * 7 + step) % 10;
        }
        return new Targets.Classes(y);
    }

    /** Steps {@code [from, to)}; the norms they reported. */
    private static double[] train(OnlineLearner learner, int from, int to) {
        double[] norms = new double[to - from];
        for (int s = from; s < to; s++) {
            norms[s - from] = learner.learnMany(features(s), labels(s)).gradNormBeforeClip();
        }
        return norms;
    }

    private static void assertSameParameters(OnlineLearner a, OnlineLearner b, String what) {
        Map<String, double[]> pa = a.parameterValues();
        Map<String, double[]> pb = b.parameterValues();
        pa.forEach((name, v) -> assertArrayEquals(v, pb.get(name), 0.0, what + ": " + name));
    }

    @Test
    void sameRunWithOrWithoutTheHelperAndFromACheckpoint() {
        Gemm.splitAcrossHelper(true);
        OnlineLearner first = learner();
        double[] norms = train(first, 0, STEPS);
        OnlineLearner again = learner();
        assertArrayEquals(norms, train(again, 0, STEPS), 0.0, "norms run to run");
        assertSameParameters(first, again, "run to run");

        Gemm.splitAcrossHelper(false);
        OnlineLearner alone = learner();
        assertArrayEquals(norms, train(alone, 0, STEPS), 0.0, "norms without the helper's split passes");
        assertSameParameters(first, alone, "without the helper's split passes");

        Gemm.splitAcrossHelper(true);
        OnlineLearner half = learner();
        train(half, 0, STEPS / 2);
        OnlineLearner resumed = learner();
        resumed.restoreTrainingState(half.trainingState());
        assertArrayEquals(java.util.Arrays.copyOfRange(norms, STEPS / 2, STEPS), train(resumed, STEPS / 2, STEPS),
                0.0, "norms after a checkpoint");
        assertSameParameters(first, resumed, "resumed from a checkpoint");
        assertEquals(STEPS, resumed.step());
    }
}
