package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference checks (float64, central differences) of every backward pass: for a scalar {@code L} the
 * analytic gradient must match {@code (L(x+h) - L(x-h)) / 2h} for every input and parameter element.
 */
class GradientCheckTest {
    private static final DataType F64 = DataType.DOUBLE;
    private static final double H = 1e-6;
    private final SplittableRandom random = new SplittableRandom(7);

    private INDArray randn(long rows, long cols, double scale) {
        INDArray a = Nd4j.create(F64, rows, cols);
        NumericBuffer b = NumericBuffer.of(a);
        for (int i = 0; i < b.length(); i++) {
            b.set(i, random.nextGaussian() * scale);
        }
        return a;
    }

    private static double dot(INDArray a, INDArray b) {
        NumericBuffer x = NumericBuffer.of(a);
        NumericBuffer y = NumericBuffer.of(b);
        double s = 0;
        for (int i = 0; i < x.length(); i++) {
            s += x.get(i) * y.get(i);
        }
        return s;
    }

    /** Compares {@code analytic} with central differences of {@code loss} over every element of {@code variable}. */
    private static void check(String what, NumericBuffer variable, double[] analytic, DoubleSupplier loss) {
        assertEquals(variable.length(), analytic.length, what + " length");
        for (int i = 0; i < variable.length(); i++) {
            double saved = variable.get(i);
            variable.set(i, saved + H);
            double plus = loss.getAsDouble();
            variable.set(i, saved - H);
            double minus = loss.getAsDouble();
            variable.set(i, saved);
            double numeric = (plus - minus) / (2 * H);
            double tol = 1e-6 + 1e-5 * Math.abs(numeric);
            assertTrue(Math.abs(numeric - analytic[i]) <= tol,
                    what + "[" + i + "]: analytic " + analytic[i] + " numeric " + numeric);
        }
    }

    private static double[] copy(INDArray a) {
        return NumericBuffer.of(a).toDoubleArray();
    }

    @Test
    void linear() {
        Parameters.Builder b = Parameters.builder();
        Linear.declare(b, "fc", 5, 3);
        Parameters p = b.build(F64);
        Initializers.xavierUniform(p.values("fc.weight"), 5, 3, random);
        p.values("fc.bias").setAll(new double[] {0.1, -0.2, 0.3});
        Linear layer = new Linear(p, "fc", 5, 3, true);
        INDArray x = randn(4, 5, 1);
        INDArray r = randn(4, 3, 1);
        DoubleSupplier loss = () -> dot(layer.forward(x, true), r);
        loss.getAsDouble();
        double[] dx = copy(layer.backward(r));
        check("dx", NumericBuffer.of(x), dx, loss);
        check("dW", p.values("fc.weight"), p.gradients("fc.weight").toDoubleArray(), loss);
        check("db", p.values("fc.bias"), p.gradients("fc.bias").toDoubleArray(), loss);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activation(Activation activation) {
        ActivationLayer layer = new ActivationLayer(activation, 0.05, F64);
        INDArray x = randn(3, 7, 2);
        NumericBuffer xb = NumericBuffer.of(x);
        for (int i = 0; i < xb.length(); i++) {
            if (Math.abs(xb.get(i)) < 1e-3) {
                xb.set(i, 0.5); // keep away from the ReLU kink
            }
        }
        INDArray r = randn(3, 7, 1);
        DoubleSupplier loss = () -> dot(layer.forward(x, true), r);
        loss.getAsDouble();
        check(activation + " dx", xb, copy(layer.backward(r)), loss);
    }

    @Test
    void softmax() {
        INDArray x = randn(3, 5, 2);
        INDArray r = randn(3, 5, 1);
        INDArray y = Nd4j.create(F64, 3, 5);
        INDArray dx = Nd4j.create(F64, 3, 5);
        DoubleSupplier loss = () -> {
            Softmax.forward(NumericBuffer.of(x), NumericBuffer.of(y), 3, 5);
            return dot(y, r);
        };
        loss.getAsDouble();
        Softmax.backward(NumericBuffer.of(y), NumericBuffer.of(r), NumericBuffer.of(dx), 3, 5);
        check("softmax dx", NumericBuffer.of(x), copy(dx), loss);
    }

    @Test
    void dropoutBackwardUsesTheForwardMask() {
        Dropout dropout = new Dropout(0.4, new SplittableRandom(3), F64);
        INDArray x = randn(5, 8, 1);
        INDArray y = dropout.forward(x, true).dup();
        INDArray r = randn(5, 8, 1);
        NumericBuffer dx = NumericBuffer.of(dropout.backward(r));
        NumericBuffer xb = NumericBuffer.of(x);
        NumericBuffer yb = NumericBuffer.of(y);
        NumericBuffer rb = NumericBuffer.of(r);
        for (int i = 0; i < xb.length(); i++) {
            double scale = yb.get(i) / xb.get(i); // 0 or 1/(1-p): the mask, so d(sum y*R)/dx = R*scale
            assertEquals(rb.get(i) * scale, dx.get(i), 1e-12);
            assertTrue(scale == 0.0 || Math.abs(scale - 1 / 0.6) < 1e-12);
        }
        assertEquals(x, dropout.forward(x, false), "eval mode is the identity");
    }

    @Test
    void batchNormTrainingAndEval() {
        for (boolean training : new boolean[] {true, false}) {
            Parameters.Builder b = Parameters.builder();
            BatchNorm1d.declare(b, "bn", 4);
            Parameters p = b.build(F64);
            p.values("bn.weight").setAll(new double[] {1.2, 0.7, -0.5, 2.0});
            p.values("bn.bias").setAll(new double[] {0.1, 0.2, 0.3, 0.4});
            BatchNorm1d bn = new BatchNorm1d(p, "bn", 4);
            bn.runningMean().setAll(new double[] {0.1, -0.1, 0.2, 0.0});
            bn.runningVar().setAll(new double[] {1.5, 0.5, 2.0, 1.0});
            INDArray x = randn(6, 4, 1.5);
            INDArray r = randn(6, 4, 1);
            DoubleSupplier loss = () -> dot(bn.forward(x, training), r);
            loss.getAsDouble();
            double[] dx = copy(bn.backward(r));
            check("bn dx training=" + training, NumericBuffer.of(x), dx, loss);
            check("bn dw", p.values("bn.weight"), p.gradients("bn.weight").toDoubleArray(), loss);
            check("bn db", p.values("bn.bias"), p.gradients("bn.bias").toDoubleArray(), loss);
        }
    }

    @Test
    void layerNorm() {
        Parameters.Builder b = Parameters.builder();
        LayerNorm.declare(b, "ln", 6);
        Parameters p = b.build(F64);
        p.values("ln.weight").setAll(new double[] {1.2, 0.7, -0.5, 2.0, 1.0, 0.3});
        p.values("ln.bias").setAll(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        LayerNorm ln = new LayerNorm(p, "ln", 6);
        INDArray x = randn(3, 6, 1.5);
        INDArray r = randn(3, 6, 1);
        DoubleSupplier loss = () -> dot(ln.forward(x, true), r);
        loss.getAsDouble();
        double[] dx = copy(ln.backward(r));
        check("ln dx", NumericBuffer.of(x), dx, loss);
        check("ln dw", p.values("ln.weight"), p.gradients("ln.weight").toDoubleArray(), loss);
        check("ln db", p.values("ln.bias"), p.gradients("ln.bias").toDoubleArray(), loss);
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void loss(LossKind kind) {
        int n = 5;
        int k = 3;
        Loss loss = kind.create();
        INDArray out = randn(n, k, 1.5);
        INDArray target;
        if (kind.classIndexTargets()) {
            target = Nd4j.create(F64, n);
            NumericBuffer.of(target).setAll(new double[] {0, 2, 1, 2, 0});
        } else if (kind == LossKind.BCE_WITH_LOGITS) {
            target = Nd4j.create(F64, n, k);
            NumericBuffer tb = NumericBuffer.of(target);
            for (int i = 0; i < tb.length(); i++) {
                tb.set(i, random.nextBoolean() ? 1 : 0);
            }
        } else {
            target = randn(n, k, 1.5);
        }
        if (kind == LossKind.CONTRASTIVE) {
            NumericBuffer ob = NumericBuffer.of(out);
            for (int i = 0; i < ob.length(); i++) {
                ob.set(i, ob.get(i) * 0.3); // some pairs inside the margin, some outside
            }
        }
        INDArray grad = Nd4j.create(F64, n, k);
        loss.compute(out, target, grad);
        check(kind + " grad", NumericBuffer.of(out), copy(grad), () -> loss.compute(out, target, null));
    }

    @ParameterizedTest
    @EnumSource(Normalization.class)
    void wholeNetwork(Normalization normalization) {
        MlpConfig config = new MlpConfig(4, List.of(6, 5), 3, Activation.GELU, 0.01, 0.0, normalization);
        Mlp mlp = new Mlp(config, F64, 11);
        Loss loss = LossKind.CROSS_ENTROPY.create();
        INDArray x = randn(6, 4, 1);
        INDArray t = Nd4j.create(F64, 6);
        NumericBuffer.of(t).setAll(new double[] {0, 1, 2, 2, 1, 0});
        INDArray grad = Nd4j.create(F64, 6, 3);
        loss.compute(mlp.forward(x, true), t, grad);
        mlp.backward(grad);
        double[] analytic = mlp.parameters().gradients().toDoubleArray();
        check("mlp " + normalization, mlp.parameters().values(), analytic,
                () -> loss.compute(mlp.forward(x, true), t, null));
    }

    @Test
    void categoricalEmbeddingsConcatenatedWithNumericFeatures() {
        List<CategoricalField> fields = List.of(new CategoricalField("color", 3, 2), new CategoricalField("size", 2, 3));
        Parameters.Builder b = Parameters.builder();
        CategoricalEmbeddings.declare(b, fields);
        Parameters p = b.build(F64);
        CategoricalEmbeddings layer = new CategoricalEmbeddings(p, 2, fields);
        layer.resetParameters(random);
        INDArray x = randn(5, 4, 1);
        NumericBuffer xb = NumericBuffer.of(x);
        int[][] idx = {{0, 1}, {3, 2}, {3, 0}, {1, 1}, {1, 1}};   // repeated rows accumulate, index 0 = unseen
        for (int i = 0; i < 5; i++) {
            xb.set(i * 4 + 2, idx[i][0]);
            xb.set(i * 4 + 3, idx[i][1]);
        }
        INDArray y = layer.forward(x, true);
        assertEquals(2 + 2 + 3, y.columns());
        NumericBuffer yb = NumericBuffer.of(y);
        assertEquals(xb.get(4 + 1), yb.get(7 + 1), 0.0, "numeric features pass through");
        assertEquals(p.values("emb.size.weight").get(2 * 3 + 2), yb.get(7 + 6), 0.0, "size row 2 looked up");
        INDArray r = randn(5, 7, 1);
        DoubleSupplier loss = () -> dot(layer.forward(x, true), r);
        loss.getAsDouble();
        layer.backward(r);
        check("emb.color dW", p.values("emb.color.weight"), p.gradients("emb.color.weight").toDoubleArray(), loss);
        check("emb.size dW", p.values("emb.size.weight"), p.gradients("emb.size.weight").toDoubleArray(), loss);
        assertEquals(0.0, p.gradients("emb.color.weight").get(2 * 2), 0.0, "a row never looked up gets no gradient");
        assertEquals(0.0, p.gradients("emb.color.weight").get(2 * 2 + 1), 0.0, "a row never looked up gets no gradient");
    }

    @ParameterizedTest
    @EnumSource(Normalization.class)
    void wholeNetworkWithCategoricalFields(Normalization normalization) {
        List<CategoricalField> fields = List.of(new CategoricalField("color", 4, 3), new CategoricalField("shape", 2, 2));
        MlpConfig config = new MlpConfig(3, List.of(6), 3, Activation.TANH, 0.01, 0.0, normalization, fields);
        Mlp mlp = new Mlp(config, F64, 5);
        assertEquals(List.of("emb.color.weight", "emb.shape.weight", "fc1.weight", "fc1.bias"),
                mlp.parameters().slots().keySet().stream().limit(4).toList());
        assertEquals(6 * (3 + 3 + 2), mlp.parameters().slot("fc1.weight").length());
        INDArray x = randn(6, 5, 1);
        NumericBuffer xb = NumericBuffer.of(x);
        int[][] idx = {{1, 2}, {4, 0}, {0, 1}, {1, 1}, {3, 2}, {4, 2}};
        for (int i = 0; i < 6; i++) {
            xb.set(i * 5 + 3, idx[i][0]);
            xb.set(i * 5 + 4, idx[i][1]);
        }
        // the tables start at N(0, 0.02^2); larger values make the check sensitive to their gradient
        NumericBuffer tables = mlp.parameters().values("emb.color.weight");
        for (int i = 0; i < tables.length(); i++) {
            tables.set(i, random.nextGaussian());
        }
        Loss loss = LossKind.CROSS_ENTROPY.create();
        INDArray t = Nd4j.create(F64, 6);
        NumericBuffer.of(t).setAll(new double[] {0, 1, 2, 2, 1, 0});
        INDArray grad = Nd4j.create(F64, 6, 3);
        loss.compute(mlp.forward(x, true), t, grad);
        mlp.backward(grad);
        double[] analytic = mlp.parameters().gradients().toDoubleArray();
        check("mlp with embeddings " + normalization, mlp.parameters().values(), analytic,
                () -> loss.compute(mlp.forward(x, true), t, null));
    }
}
