package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The passes of a step that run in two halves on the step helper (dropout, activations, the gradient's sum of
 * squares) compute what one thread computes, bit for bit, and the dropout mask is still the stream of
 * {@code new SplittableRandom(seed)}, as it was before the mask was drawn in halves.
 */
class StepHelperPassesTest {
    private final boolean splitBefore = Gemm.splitsAcrossHelper();

    @AfterEach
    void restoreSplit() {
        Gemm.splitAcrossHelper(splitBefore);
    }

    /** The mask as the one-stream implementation drew it: one nextLong per two elements, high half first. */
    private static double[] referenceMask(SplittableRandom random, int n, double p) {
        long th = Math.round(p * 4294967296.0);
        double scale = 1.0 / (1.0 - p);
        double[] m = new double[n];
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = random.nextLong();
            m[i] = (bits >>> 32) >= th ? scale : 0.0;
            m[i + 1] = (bits & 0xffffffffL) >= th ? scale : 0.0;
        }
        if (i < n) {
            m[i] = (random.nextLong() >>> 32) >= th ? scale : 0.0;
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void dropoutMaskIsTheSplittableRandomStreamInHalvesOrNot(DataType type) {
        double p = 0.2;
        for (boolean split : new boolean[] {false, true}) {
            Gemm.splitAcrossHelper(split);
            // odd, below the split threshold, the benchmark's batch 64 and 256 of width 256, and an odd large one
            for (int[] shape : new int[][] {{7, 9}, {16, 256}, {64, 256}, {256, 256}, {129, 255}}) {
                Dropout dropout = new Dropout(p, new SplittableRandom(1), type);
                long seed = 0x1234_5678_9ABCL * shape[0] + shape[1];
                dropout.reseed(seed);
                SplittableRandom reference = new SplittableRandom(seed);
                INDArray ones = Nd4j.ones(type, shape[0], shape[1]);
                for (int pass = 0; pass < 2; pass++) { // the second pass continues the stream
                    double[] expected = referenceMask(reference, shape[0] * shape[1], p);
                    double[] mask = NumericBuffer.of(dropout.forward(ones, true)).toDoubleArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(type == DataType.FLOAT ? (float) expected[i] : expected[i], mask[i], 0.0,
                                "split " + split + ", " + shape[0] + "x" + shape[1] + ", pass " + pass + ", i " + i);
                    }
                    INDArray r = Nd4j.rand(type, shape[0], shape[1]);
                    double[] rb = NumericBuffer.of(r).toDoubleArray();
                    double[] dx = NumericBuffer.of(dropout.backward(r)).toDoubleArray();
                    for (int i = 0; i < expected.length; i++) {
                        double m = type == DataType.FLOAT ? (float) expected[i] : expected[i];
                        double want = type == DataType.FLOAT ? (float) ((float) rb[i] * (float) m) : rb[i] * m;
                        assertEquals(want, dx[i], 0.0, "backward, i " + i);
                    }
                }
            }
        }
    }

    @Test
    void activationsInHalvesAreBitIdentical() {
        // on one core nothing is split, and "split or not" would compare a path with itself
        org.junit.jupiter.api.Assumptions.assumeTrue(HelperThread.available(), "one core: no helper thread");
        for (Activation activation : new Activation[] {Activation.RELU, Activation.LEAKY_RELU, Activation.TANH}) {
            for (int rows : new int[] {3, 64, 256}) {
                INDArray x = filled(Nd4j.create(DataType.FLOAT, rows, 256), new SplittableRandom(rows));
                NumericBuffer xb = NumericBuffer.of(x);
                xb.set(0, Float.NaN);
                xb.set(1, -0.0);
                xb.set(2, Float.NEGATIVE_INFINITY);
                INDArray r = filled(Nd4j.create(DataType.FLOAT, rows, 256), new SplittableRandom(rows + 1));
                float[][] results = new float[4][];
                for (int s = 0; s < 2; s++) {
                    Gemm.splitAcrossHelper(s == 1);
                    ActivationLayer layer = new ActivationLayer(activation, 0.01, DataType.FLOAT);
                    results[2 * s] = NumericBuffer.of(layer.forward(x, true)).toFloatArray();
                    results[2 * s + 1] = NumericBuffer.of(layer.backward(r)).toFloatArray();
                }
                assertArrayEquals(results[0], results[2], activation + " forward, " + rows + " rows");
                assertArrayEquals(results[1], results[3], activation + " backward, " + rows + " rows");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Normalization.class)
    void backwardReturnsTheGradientsSumOfSquaresSplitOrNot(Normalization norm) {
        MlpConfig config = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, norm);
        INDArray x = filled(Nd4j.create(DataType.FLOAT, 64, 784), new SplittableRandom(2));
        INDArray g = filled(Nd4j.create(DataType.FLOAT, 64, 10), new SplittableRandom(3));
        double[] squares = new double[2];
        float[][] gradients = new float[2][];
        for (int s = 0; s < 2; s++) {
            Gemm.splitAcrossHelper(s == 1);
            Mlp mlp = new Mlp(config, DataType.FLOAT, 5);
            mlp.reseedDropout(0);
            mlp.forward(x, true);
            squares[s] = mlp.backward(g);
            gradients[s] = mlp.parameters().gradients().toFloatArray();
            // the per-parameter sums, added in declaration order; a Linear weight's in two row blocks
            double bySlot = 0;
            for (Parameters.Slot slot : mlp.parameters().slots().values()) {
                NumericBuffer grad = mlp.parameters().gradients(slot.name());
                long[] shape = slot.shape();
                int cut = Linear.helperRowsFrom((int) shape[0]) * (int) shape[shape.length - 1];
                if (slot.name().matches("fc\\d+\\.weight") && cut < slot.length()) {
                    bySlot += SumOfSquares.of(grad.window(0, cut)) + SumOfSquares.of(grad.window(cut,
                            slot.length() - cut));
                } else {
                    bySlot += SumOfSquares.of(grad);
                }
            }
            assertEquals(bySlot, squares[s], 0.0, norm + ", split " + (s == 1));
            double plain = 0;
            for (float v : gradients[s]) {
                plain += (double) v * v;
            }
            assertEquals(plain, squares[s], plain * 1e-12, "the sum of squares of every gradient element");
            assertTrue(squares[s] > 0);
        }
        assertArrayEquals(gradients[0], gradients[1], "gradients split or not");
        assertEquals(squares[0], squares[1], 0.0, "sum of squares split or not");
    }

    @Test
    void helperParameterRangesAreTheWeightRowsTheHelperComputes() {
        Mlp mlp = new Mlp(new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2,
                Normalization.NONE), DataType.FLOAT, 1);
        Parameters p = mlp.parameters();
        int fc1 = p.slot("fc1.weight").offset();
        int fc2 = p.slot("fc2.weight").offset();
        // rows [128, 256) of fc1 (784 wide) and fc2 (256 wide); fc3 (10 rows) is too small to cut
        assertArrayEquals(new int[] {fc1 + 128 * 784, fc1 + 256 * 784, fc2 + 128 * 256, fc2 + 256 * 256},
                mlp.helperParameterRanges());
    }

    static INDArray filled(INDArray a, SplittableRandom random) {
        NumericBuffer b = NumericBuffer.of(a);
        for (int i = 0; i < b.length(); i++) {
            b.set(i, random.nextGaussian());
        }
        return a;
    }
}
