package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.Loss;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/** Categorical fields through the learner, and per-example weights. */
class CategoricalAndWeightedLearningTest {

    private static TrainingConfig config(MlpConfig model, LossKind loss, DataType type) {
        return new TrainingConfig(model, loss, new AdamWConfig(1e-2, 0.9, 0.999, 1e-8, 0.01, true),
                new ScheduleConfig(5, 400, 0.0, false), 1.0, 3L, type);
    }

    /** Labels depend only on the colour (1, 2 -> class 0; 3, 4 -> class 1); the numbers are noise. */
    private static int label(int color) {
        return color <= 2 ? 0 : 1;
    }

    @Test
    void learnsAProblemOnlyTheCategoryCanSolve() {
        MlpConfig model = new MlpConfig(2, List.of(16), 2, Activation.RELU, 0.01, 0.0, Normalization.NONE,
                List.of(new CategoricalField("color", 4, 3)));
        OnlineLearner learner = new OnlineLearner(config(model, LossKind.CROSS_ENTROPY, DataType.FLOAT));
        Random r = new Random(5);
        for (int s = 0; s < 150; s++) {
            float[][] x = new float[32][2];
            int[][] c = new int[32][1];
            int[] y = new int[32];
            for (int i = 0; i < 32; i++) {
                x[i][0] = (float) r.nextGaussian();
                x[i][1] = (float) r.nextGaussian();
                c[i][0] = 1 + r.nextInt(4);
                y[i] = label(c[i][0]);
            }
            assertTrue(!learner.learnMany(x, c, new Targets.Classes(y), null).skipped());
        }
        ModelSnapshot snapshot = learner.snapshot(1);
        int correct = 0;
        float[][] x = new float[400][2];
        int[][] c = new int[400][1];
        for (int i = 0; i < 400; i++) {
            x[i][0] = (float) r.nextGaussian();
            x[i][1] = (float) r.nextGaussian();
            c[i][0] = 1 + r.nextInt(4);
        }
        float[][] p = snapshot.predict(x, c);
        for (int i = 0; i < 400; i++) {
            if ((p[i][1] > p[i][0] ? 1 : 0) == label(c[i][0])) {
                correct++;
            }
        }
        assertTrue(correct >= 396, "only " + correct + " of 400 right");
        float[][] unseen = snapshot.predict(new float[][] {{0f, 0f}}, new int[][] {{CategoricalField.UNSEEN}});
        assertEquals(1.0, unseen[0][0] + unseen[0][1], 1e-5, "the reserved row answers unseen categories");
        assertTrue(learner.parameterValues().containsKey("emb.color.weight"));
        assertEquals(5 * 3, learner.parameterValues().get("emb.color.weight").length);
    }

    @Test
    void rejectsMissingOrOutOfRangeCategoriesWithoutChangingAnything() {
        MlpConfig model = new MlpConfig(1, List.of(4), 2, Activation.RELU, 0.01, 0.0, Normalization.NONE,
                List.of(new CategoricalField("color", 2, 2)));
        OnlineLearner learner = new OnlineLearner(config(model, LossKind.CROSS_ENTROPY, DataType.FLOAT));
        Targets t = new Targets.Classes(new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> learner.learnMany(new float[][] {{1f}}, t));
        assertThrows(IllegalArgumentException.class,
                () -> learner.learnMany(new float[][] {{1f}}, new int[][] {{3}}, t, null));
        assertThrows(IllegalArgumentException.class,
                () -> learner.learnMany(new float[][] {{1f}}, new int[][] {{-1}}, t, null));
        assertEquals(0, learner.step());
    }

    @Test
    void categoricalConfigurationIsValidatedNamingTheKey() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new MlpConfig(1, List.of(4),
                2, Activation.RELU, 0.01, 0.0, Normalization.NONE,
                List.of(new CategoricalField("a", 2, 2), new CategoricalField("a", 3, 2))));
        assertTrue(dup.getMessage().contains("mlp.features.categorical.a"), dup.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalField("color", 3, 0));
        assertTrue(dim.getMessage().contains("mlp.features.categorical.color.dimension"), dim.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CategoricalField("a.b", 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new CategoricalField("a", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> MlpConfig.of(0, List.of(4), 2));
        // categorical fields alone are a valid input
        new OnlineLearner(config(new MlpConfig(0, List.of(4), 2, Activation.RELU, 0.01, 0.0, Normalization.NONE,
                List.of(new CategoricalField("a", 3, 2))), LossKind.CROSS_ENTROPY, DataType.DOUBLE))
                .learnMany(new float[][] {{}, {}}, new int[][] {{1}, {3}}, new Targets.Classes(new int[] {0, 1}), null);
    }

    /** Weighted mean {@code sum(w_i l_i) / sum(w_i)}, each l_i computed alone. */
    private static double weightedLoss(Loss loss, INDArray out, INDArray target, float[] w, boolean classes) {
        int n = (int) out.rows();
        int k = (int) out.columns();
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < n; i++) {
            INDArray oi = Nd4j.create(DataType.DOUBLE, 1, k);
            NumericBuffer.of(oi).setAll(java.util.Arrays.copyOfRange(NumericBuffer.of(out).toDoubleArray(), i * k, i * k + k));
            INDArray ti = classes ? Nd4j.create(DataType.DOUBLE, 1) : Nd4j.create(DataType.DOUBLE, 1, k);
            int len = classes ? 1 : k;
            NumericBuffer.of(ti).setAll(java.util.Arrays.copyOfRange(NumericBuffer.of(target).toDoubleArray(),
                    i * len, i * len + len));
            sum += w[i] * loss.compute(oi, ti, null);
            weights += w[i];
        }
        return sum / weights;
    }

    @ParameterizedTest
    @EnumSource(value = LossKind.class, names = "CONTRASTIVE", mode = EnumSource.Mode.EXCLUDE)
    void rescaledGradientIsTheGradientOfTheWeightedMean(LossKind kind) {
        Random r = new Random(9);
        int n = 4;
        int k = 3;
        Loss loss = kind.create();
        INDArray out = Nd4j.create(DataType.DOUBLE, n, k);
        NumericBuffer ob = NumericBuffer.of(out);
        for (int i = 0; i < n * k; i++) {
            ob.set(i, r.nextGaussian() * 1.5);
        }
        INDArray target = kind.classIndexTargets() ? Nd4j.create(DataType.DOUBLE, n) : Nd4j.create(DataType.DOUBLE, n, k);
        NumericBuffer tb = NumericBuffer.of(target);
        for (int i = 0; i < tb.length(); i++) {
            tb.set(i, kind.classIndexTargets() ? r.nextInt(k) : kind == LossKind.BCE_WITH_LOGITS ? r.nextInt(2)
                    : r.nextGaussian());
        }
        float[] w = {2.0f, 0.0f, 0.5f, 1.0f};
        INDArray grad = Nd4j.create(DataType.DOUBLE, n, k);
        loss.compute(out, target, grad);
        ExampleWeights.scaleRows(grad, ExampleWeights.rowFactors(w, n, kind));
        double h = 1e-6;
        for (int i = 0; i < n * k; i++) {
            double saved = ob.get(i);
            ob.set(i, saved + h);
            double plus = weightedLoss(loss, out, target, w, kind.classIndexTargets());
            ob.set(i, saved - h);
            double minus = weightedLoss(loss, out, target, w, kind.classIndexTargets());
            ob.set(i, saved);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, NumericBuffer.of(grad).get(i), 1e-6 + 1e-5 * Math.abs(numeric), kind + " [" + i + "]");
        }
    }

    @Test
    void weightTwoIsTheExampleTwiceAndWeightZeroIsNoExample() {
        MlpConfig model = new MlpConfig(3, List.of(8), 3, Activation.TANH, 0.01, 0.0, Normalization.NONE);
        OnlineLearner weighted = new OnlineLearner(config(model, LossKind.CROSS_ENTROPY, DataType.DOUBLE));
        OnlineLearner repeated = new OnlineLearner(config(model, LossKind.CROSS_ENTROPY, DataType.DOUBLE));
        float[] a = {1f, -0.5f, 2f};
        float[] b = {-1f, 0.3f, 0.2f};
        float[] c = {0.4f, 0.4f, -2f};
        for (int s = 0; s < 3; s++) {
            weighted.learnMany(new float[][] {a, b, c}, null, new Targets.Classes(new int[] {0, 2, 1}),
                    new float[] {2f, 1f, 0f});
            repeated.learnMany(new float[][] {a, a, b}, new Targets.Classes(new int[] {0, 0, 2}));
        }
        Map<String, double[]> expected = repeated.parameterValues();
        weighted.parameterValues().forEach((name, values) -> assertArrayEquals(expected.get(name), values, 1e-12, name));
    }

    @Test
    void rejectsBadWeightsAndWeightsForContrastive() {
        MlpConfig model = MlpConfig.of(2, List.of(4), 2);
        OnlineLearner ce = new OnlineLearner(config(model, LossKind.CROSS_ENTROPY, DataType.FLOAT));
        float[][] x = {{1f, 2f}, {0f, 1f}};
        Targets t = new Targets.Classes(new int[] {0, 1});
        assertThrows(IllegalArgumentException.class, () -> ce.learnMany(x, null, t, new float[] {0f, 0f}));
        assertThrows(IllegalArgumentException.class, () -> ce.learnMany(x, null, t, new float[] {-1f, 2f}));
        assertThrows(IllegalArgumentException.class, () -> ce.learnMany(x, null, t, new float[] {Float.NaN, 1f}));
        assertThrows(IllegalArgumentException.class, () -> ce.learnMany(x, null, t, new float[] {1f}));
        assertEquals(0, ce.step());
        OnlineLearner contrastive = new OnlineLearner(config(model, LossKind.CONTRASTIVE, DataType.FLOAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> contrastive.learnMany(x, null, t, new float[] {2f, 1f}));
        assertTrue(e.getMessage().contains("CONTRASTIVE"), e.getMessage());
        contrastive.learnMany(x, null, t, new float[] {1f, 1f});
        assertEquals(1, contrastive.step());
    }
}
