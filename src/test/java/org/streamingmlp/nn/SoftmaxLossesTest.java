package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-entropy and focal loss exponentiate each logit once ({@code softmax = exp(z - max) / sum}); away from the
 * golden vectors' moderate logits, that stays stable for logits far apart or far from 0 and agrees with the textbook
 * {@code softmax = exp(z - logsumexp(z))}, and a NaN logit still makes the loss NaN (so the step is skipped).
 */
class SoftmaxLossesTest {
    /** Rows with logits far apart (exp(1000) overflows), all large, all very negative, equal, and ordinary. */
    private static final double[][] LOGITS = {
        {1000, 0, -1000, 3},
        {-1e4, -1e4 + 1, -1e4 + 2, -1e4 - 50},
        {88.5, 89, 90, 87},
        {0.25, 0.25, 0.25, 0.25},
        {-1.5, 2.0, 0.3, -0.7},
    };
    private static final int[] CLASSES = {2, 0, 3, 1, 1};

    /** dL/dz and L of mean cross-entropy with the two-exp formula: p = exp(z - lse). */
    private static double reference(double[][] z, int[] t, double[][] grad) {
        int n = z.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z[i]) {
                sum += Math.exp(v - max);
            }
            double lse = max + Math.log(sum);
            total += lse - z[i][t[i]];
            for (int j = 0; j < z[i].length; j++) {
                grad[i][j] = (Math.exp(z[i][j] - lse) - (j == t[i] ? 1 : 0)) / n;
            }
        }
        return total / n;
    }

    private static INDArray targets(DataType type) {
        INDArray t = Nd4j.create(type, CLASSES.length, 1);
        for (int i = 0; i < CLASSES.length; i++) {
            t.putScalar(i, 0, CLASSES[i]);
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void crossEntropyMatchesTheTwoExpFormulaOnExtremeLogits(DataType type) {
        double[][] z = new double[LOGITS.length][];
        for (int i = 0; i < z.length; i++) {
            z[i] = LOGITS[i].clone();
            for (int j = 0; j < z[i].length; j++) {
                z[i][j] = type == DataType.FLOAT ? (float) z[i][j] : z[i][j]; // the values the array holds
            }
        }
        double[][] want = new double[z.length][z[0].length];
        double wantLoss = reference(z, CLASSES, want);
        INDArray out = Nd4j.create(LOGITS).castTo(type);
        INDArray grad = Nd4j.create(type, z.length, z[0].length);
        double loss = new CrossEntropyLoss().compute(out, targets(type), grad);
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(wantLoss, loss, 1e-12 * Math.abs(wantLoss));
        double[] g = NumericBuffer.of(grad).toDoubleArray();
        // float32: the gradient's storage precision (|g| <= 1/N); float64: the reference's own rounding, z - lse
        // loses ulp(1e4) ~ 2e-12 of the exponent in row 1 (exp(z - max) / sum does not)
        double tol = type == DataType.FLOAT ? 1e-7 : 1e-12;
        for (int i = 0; i < z.length; i++) {
            double rowSum = 0;
            for (int j = 0; j < z[i].length; j++) {
                double got = g[i * z[i].length + j];
                assertEquals(want[i][j], got, tol, "row " + i + ", class " + j);
                rowSum += got;
            }
            assertEquals(0.0, rowSum, 4 * tol, "row " + i + ": softmax sums to 1");
        }
    }

    @Test
    void aNanLogitMakesBothLossesNan() {
        INDArray out = Nd4j.create(new double[][] {{0.5, Double.NaN, -1}, {1, 2, 3}});
        INDArray t = Nd4j.create(new double[] {0, 2}, 2, 1);
        assertTrue(Double.isNaN(new CrossEntropyLoss().compute(out, t, Nd4j.create(DataType.DOUBLE, 2, 3))));
        assertTrue(Double.isNaN(new FocalLoss(2.0).compute(out, t, Nd4j.create(DataType.DOUBLE, 2, 3))));
    }

    @Test
    void focalLossWithGammaZeroIsCrossEntropy() {
        INDArray out = Nd4j.create(LOGITS);
        INDArray t = targets(DataType.DOUBLE);
        INDArray gc = Nd4j.create(DataType.DOUBLE, LOGITS.length, LOGITS[0].length);
        INDArray gf = Nd4j.create(DataType.DOUBLE, LOGITS.length, LOGITS[0].length);
        double ce = new CrossEntropyLoss().compute(out, t, gc);
        double focal = new FocalLoss(0.0).compute(out, t, gf);
        assertEquals(ce, focal, 1e-12 * Math.abs(ce));
        double[] a = NumericBuffer.of(gc).toDoubleArray();
        double[] b = NumericBuffer.of(gf).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-15, "element " + i);
        }
    }
}
