package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Gemm} calls OpenBLAS directly for every plain array, one-row arrays included (ND4J gives {@code [1, n]} the
 * strides {@code [1, 1]}), and its products are bit for bit those of {@link Nd4j#gemm}: at batch 1 and above, in
 * every orientation the layers use, for float32 and float64, with a weight that is a view into a flat buffer.
 */
class GemmTest {

    private final SplittableRandom random = new SplittableRandom(5);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 64})
    void rowsOfEveryBatchSizeArePlain(int rows) {
        INDArray x = Nd4j.create(DataType.FLOAT, rows, 784);
        assertTrue(Gemm.plain(x), "a [" + rows + ", 784] array, strides " + java.util.Arrays.toString(x.stride()));
        assertTrue(Gemm.plain(Nd4j.create(DataType.FLOAT, rows, 1)), "a [" + rows + ", 1] array");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void directProductsEqualNd4jsBitForBit(DataType type) {
        int[][] layers = {{784, 256}, {256, 256}, {256, 10}, {3, 7}, {300, 1}};
        for (int[] layer : layers) {
            int in = layer[0];
            int out = layer[1];
            Parameters.Builder builder = Parameters.builder();
            Linear.declare(builder, "fc0", 5, 3);   // so the weight below is a view at a non-zero offset
            Linear.declare(builder, "fc1", in, out);
            Parameters parameters = builder.build(type);
            INDArray weight = parameters.valueView("fc1.weight");
            fill(parameters.values("fc1.weight"));
            for (int n : new int[] {1, 2, 64}) {
                INDArray x = fill(Nd4j.create(type, n, in));
                INDArray r = fill(Nd4j.create(type, n, out));
                String shape = type + " " + n + "x" + in + "->" + out;
                // forward y = x W^T, weight gradient dW = R^T x, input gradient dx = R W, and one with both transposed
                assertSame(x, weight, false, true, n, out, shape + " x W^T");
                assertSame(r, x, true, false, out, in, shape + " R^T x");
                assertSame(r, weight, false, false, n, in, shape + " R W");
                assertSame(weight, r, true, true, in, n, shape + " W^T R^T");
            }
        }
    }

    private void assertSame(INDArray a, INDArray b, boolean transA, boolean transB, int rows, int cols, String what) {
        INDArray viaNd4j = Nd4j.create(a.dataType(), rows, cols);
        INDArray direct = Nd4j.create(a.dataType(), rows, cols);
        Nd4j.gemm(a, b, viaNd4j, transA, transB, 1.0, 0.0);
        Gemm.gemm(a, b, direct, transA, transB, 1.0, 0.0);
        if (a.dataType() == DataType.FLOAT) {
            assertArrayEquals(viaNd4j.data().asFloat(), direct.data().asFloat(), what);
        } else {
            assertArrayEquals(viaNd4j.data().asDouble(), direct.data().asDouble(), what);
        }
    }

    private INDArray fill(INDArray array) {
        fill(NumericBuffer.of(array));
        return array;
    }

    private void fill(NumericBuffer values) {
        for (int i = 0; i < values.length(); i++) {
            values.set(i, random.nextGaussian());
        }
    }
}
