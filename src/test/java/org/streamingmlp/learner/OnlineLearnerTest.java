package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

class OnlineLearnerTest {

    /** Two Gaussian blobs in 4-D, separable along the first feature. */
    private static float[][] features(Random r, int[] labels) {
        float[][] x = new float[labels.length][4];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(2);
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.5);
            }
            x[i][0] += labels[i] == 1 ? 2f : -2f;
        }
        return x;
    }

    private static TrainingConfig config(LossKind loss, int outputs, Normalization norm, DataType type) {
        MlpConfig model = new MlpConfig(4, List.of(16, 16), outputs, Activation.RELU, 0.01, 0.1, norm);
        return new TrainingConfig(model, loss, new AdamWConfig(1e-2, 0.9, 0.999, 1e-8, 0.01, true),
                new ScheduleConfig(5, 200, 0.0, false), 1.0, 3L, type);
    }

    @Test
    void float32TrainingReducesLossOnSeparableData() {
        for (Normalization norm : Normalization.values()) {
            OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, norm, DataType.FLOAT));
            Random r = new Random(1);
            int[] valLabels = new int[200];
            float[][] val = features(r, valLabels);
            Targets valTargets = new Targets.Classes(valLabels);
            double before = learner.evaluateLoss(val, valTargets);
            for (int s = 0; s < 100; s++) {
                int[] labels = new int[32];
                float[][] x = features(r, labels);
                StepResult result = learner.learnMany(x, new Targets.Classes(labels));
                assertFalse(result.skipped());
                assertEquals(s + 1, result.step());
            }
            double after = learner.evaluateLoss(val, valTargets);
            assertTrue(after < 0.2 * before, norm + ": loss " + before + " -> " + after);
            float[][] p = learner.snapshot(1).predict(val);
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                assertEquals(1.0, p[i][0] + p[i][1], 1e-5, "softmax head");
                correct += (p[i][1] > p[i][0] ? 1 : 0) == valLabels[i] ? 1 : 0;
            }
            assertTrue(correct >= 190, norm + ": accuracy " + correct + "/200");
        }
    }

    @Test
    void regressionAndBinaryLossesTrain() {
        for (LossKind loss : List.of(LossKind.MSE, LossKind.L1, LossKind.HUBER, LossKind.BCE_WITH_LOGITS)) {
            OnlineLearner learner = new OnlineLearner(config(loss, 1, Normalization.NONE, DataType.FLOAT));
            Random r = new Random(2);
            double first = 0;
            double last = 0;
            for (int s = 0; s < 150; s++) {
                int[] labels = new int[32];
                float[][] x = features(r, labels);
                float[][] y = new float[32][1];
                for (int i = 0; i < 32; i++) {
                    y[i][0] = labels[i];
                }
                double l = learner.learnMany(x, new Targets.Values(y)).loss();
                if (s < 10) {
                    first += l;
                }
                if (s >= 140) {
                    last += l;
                }
            }
            assertTrue(last < 0.5 * first, loss + ": " + first / 10 + " -> " + last / 10);
        }
    }

    @Test
    void nonFiniteLossSkipsTheUpdate() {
        OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.BATCH_NORM,
                DataType.FLOAT));
        Map<String, double[]> params = learner.parameterValues();
        Map<String, double[]> buffers = learner.bufferValues();
        float[][] x = {{1, 2, 3, Float.NaN}, {0, 1, 0, 1}};
        StepResult r = learner.learnMany(x, new Targets.Classes(new int[] {0, 1}));
        assertTrue(r.skipped());
        assertTrue(Double.isNaN(r.loss()));
        assertEquals(0, r.step());
        assertEquals(0, learner.step());
        assertEquals(1, learner.skippedUpdates());
        learner.parameterValues().forEach((k, v) -> assertArrayEquals(params.get(k), v, k));
        learner.bufferValues().forEach((k, v) -> assertArrayEquals(buffers.get(k), v, k + " running stats"));
        StepResult ok = learner.learnMany(new float[][] {{0, 1, 0, 1}, {1, 0, 1, 0}},
                new Targets.Classes(new int[] {0, 1}));
        assertFalse(ok.skipped());
        assertEquals(1, learner.step());
    }

    @Test
    void snapshotIsImmutableAndRestorable() {
        OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.LAYER_NORM,
                DataType.FLOAT));
        Random r = new Random(5);
        int[] labels = new int[16];
        float[][] x = features(r, labels);
        learner.learnMany(x, new Targets.Classes(labels));
        ModelSnapshot snap = learner.snapshot(7);
        assertEquals(7, snap.version());
        assertEquals(1, snap.step());
        Map<String, float[]> before = snap.parameters();
        float[][] predBefore = snap.predict(x);
        before.get("fc1.weight")[0] = 1234f;
        assertNotEquals(1234f, snap.parameters().get("fc1.weight")[0], "defensive copy");
        for (int s = 0; s < 20; s++) {
            learner.learnMany(x, new Targets.Classes(labels));
        }
        assertArrayEquals(predBefore[0], snap.predict(x)[0], "training does not touch the snapshot");
        assertFalse(java.util.Arrays.equals(snap.parameters().get("fc1.weight"),
                learner.snapshot(8).parameters().get("fc1.weight")));
        learner.restore(snap);
        assertArrayEquals(snap.parameters().get("fc1.weight"), learner.snapshot(9).parameters().get("fc1.weight"));
        assertEquals(21, learner.step(), "restore keeps the step count");
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias",
                "ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias"), List.copyOf(snap.parameters().keySet()));
        assertEquals(16 * 4, snap.parameters().get("fc1.weight").length);
    }

    @Test
    void snapshotsPredictFromManyThreadsWhileTrainingContinues() throws Exception {
        OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.BATCH_NORM,
                DataType.FLOAT));
        Random r = new Random(9);
        int[] labels = new int[32];
        float[][] x = features(r, labels);
        learner.learnMany(x, new Targets.Classes(labels));
        ModelSnapshot snap = learner.snapshot(1);
        float[][] expected = snap.predict(x);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                results.add(pool.submit(() -> {
                    for (int k = 0; k < 50; k++) {
                        float[][] p = snap.predict(x);
                        for (int i = 0; i < p.length; i++) {
                            if (!java.util.Arrays.equals(p[i], expected[i])) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (int s = 0; s < 50; s++) {
                learner.learnMany(x, new Targets.Classes(labels));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertTrue(f.get(), "every prediction equals the snapshot's");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void variableBatchSizesAndBatchNormNeedsTwoExamples() {
        OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.LAYER_NORM,
                DataType.FLOAT));
        Random r = new Random(4);
        for (int n = 1; n <= 40; n++) {
            int[] labels = new int[n];
            float[][] x = features(r, labels);
            assertFalse(learner.learnMany(x, new Targets.Classes(labels)).skipped());
        }
        assertEquals(40, learner.step());
        OnlineLearner bn = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.BATCH_NORM,
                DataType.FLOAT));
        assertThrows(IllegalArgumentException.class,
                () -> bn.learnMany(new float[][] {{1, 2, 3, 4}}, new Targets.Classes(new int[] {1})));
        assertEquals(1, bn.snapshot(0).predict(new float[][] {{1, 2, 3, 4}}).length, "eval works with one example");
    }

    @Test
    void snapshotRebuiltFromItsPartsPredictsTheSame() {
        TrainingConfig c = config(LossKind.CROSS_ENTROPY, 2, Normalization.BATCH_NORM, DataType.FLOAT);
        OnlineLearner learner = new OnlineLearner(c);
        Random r = new Random(6);
        int[] labels = new int[16];
        float[][] x = features(r, labels);
        for (int s = 0; s < 5; s++) {
            learner.learnMany(x, new Targets.Classes(labels));
        }
        ModelSnapshot original = learner.snapshot(3);
        ModelSnapshot rebuilt = ModelSnapshot.of(3, original.step(), c, original.parameters(), original.buffers());
        assertEquals(5, rebuilt.step());
        float[][] a = original.predict(x);
        float[][] b = rebuilt.predict(x);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        Map<String, float[]> missing = new java.util.LinkedHashMap<>(original.parameters());
        missing.remove("fc1.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSnapshot.of(3, 5, c, missing, original.buffers()));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
    }

    @Test
    void sameSeedSameModel() {
        TrainingConfig c = config(LossKind.CROSS_ENTROPY, 2, Normalization.NONE, DataType.FLOAT);
        assertArrayEquals(new OnlineLearner(c).snapshot(0).parameters().get("fc2.weight"),
                new OnlineLearner(c).snapshot(0).parameters().get("fc2.weight"));
    }

    @Test
    void badInputsAreRejectedAtTheBoundary() {
        OnlineLearner learner = new OnlineLearner(config(LossKind.CROSS_ENTROPY, 2, Normalization.NONE,
                DataType.FLOAT));
        assertThrows(IllegalArgumentException.class,
                () -> learner.learnMany(new float[][] {{1, 2, 3}}, new Targets.Classes(new int[] {0})));
        assertThrows(IllegalArgumentException.class,
                () -> learner.learnMany(new float[][] {{1, 2, 3, 4}}, new Targets.Classes(new int[] {2})));
        assertThrows(IllegalArgumentException.class,
                () -> learner.learnMany(new float[][] {{1, 2, 3, 4}}, new Targets.Values(new float[][] {{1}})));
        assertEquals(0, learner.step());
    }

    @Test
    void configValidationNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MlpConfig(4, List.of(8), 2, Activation.RELU, 0.01, 1.5, Normalization.NONE));
        assertEquals("mlp.model.dropout must be in [0, 1), got 1.5", e.getMessage());
        MlpConfig model = MlpConfig.of(4, List.of(8), 2);
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(model, LossKind.MSE,
                AdamWConfig.defaults(), ScheduleConfig.defaults(), 0.0, 1, DataType.FLOAT));
        assertTrue(e.getMessage().startsWith("mlp.training.max-grad-norm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(model, LossKind.MSE,
                AdamWConfig.defaults(), ScheduleConfig.defaults(), 1.0, 1, DataType.HALF));
        assertTrue(e.getMessage().startsWith("mlp.training.data-type"), e.getMessage());
        TrainingConfig defaults = TrainingConfig.defaults(model);
        assertEquals(DataType.FLOAT, defaults.dataType());
        assertEquals(LossKind.CROSS_ENTROPY, defaults.loss());
    }
}
