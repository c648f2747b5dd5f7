package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A product split by rows or columns of C between this thread and the helper thread is bit-identical to the one-call
 * product, for every product of a training step of the benchmark model (784-256-256-10) at many batch sizes.
 */
class GemmSplitTest {

    /** One product of a step, as {@link Linear} calls it: {@code C [m, n] = op(A) op(B)}. */
    private record Product(String name, int m, int n, int k, boolean transA, boolean transB) {
        INDArray a(DataType type) {
            return transA ? Nd4j.create(type, k, m) : Nd4j.create(type, m, k);
        }

        INDArray b(DataType type) {
            return transB ? Nd4j.create(type, n, k) : Nd4j.create(type, k, n);
        }
    }

    /** The 8 products of a step of 784-256-256-10 at batch {@code batch} (fc1 computes no input gradient). */
    private static List<Product> step(int batch) {
        int[] sizes = {784, 256, 256, 10};
        List<Product> products = new ArrayList<>();
        for (int l = 1; l < sizes.length; l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            products.add(new Product("fc" + l + " forward x W^T", batch, out, in, false, true));
            products.add(new Product("fc" + l + " weight gradient R^T x", out, in, batch, true, false));
            if (l > 1) {
                products.add(new Product("fc" + l + " input gradient R W", batch, in, out, false, false));
            }
        }
        return products;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void everyProductOfAStepIsBitIdenticalSplitOrNot(DataType type) {
        SplittableRandom random = new SplittableRandom(11);
        int split = 0;
        for (int batch : new int[] {1, 7, 16, 32, 48, 64, 96, 100, 111, 112, 128, 160, 200, 223, 224, 256, 512}) {
            for (Product p : step(batch)) {
                INDArray a = filled(p.a(type), random);
                INDArray b = filled(p.b(type), random);
                if (Gemm.splitPoint(type == DataType.FLOAT, p.transA(), p.transB(), p.m(), p.n(), p.k(), 1.0,
                        0.0) > 0) {
                    split++;
                }
                assertSame(a, b, p, 1.0, 0.0, "batch " + batch + ", " + p.name() + ", " + type);
            }
        }
        assertTrue(split >= 40, "only " + split + " products were split: the test would prove nothing");
        assertTrue(Gemm.singleThreadedOpenBlas(), "OpenBLAS runs more than one thread (OMP_NUM_THREADS=1 unset?): "
                + "Gemm never splits, so this test proves nothing");
    }

    @Test
    void theLargeProductsAtBatch64AreSplit() {
        for (Product p : step(64)) {
            boolean large = (long) p.m() * p.n() * p.k() >= 64L * 256 * 256;
            int left = Gemm.splitPoint(true, p.transA(), p.transB(), p.m(), p.n(), p.k(), 1.0, 0.0);
            assertTrue(large == (left > 0), p.name() + " split at " + left);
        }
    }

    @Test
    void accumulatingProductsAndScaledProductsAreBitIdenticalToo() {
        SplittableRandom random = new SplittableRandom(12);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (Product p : step(256)) {
                INDArray a = filled(p.a(type), random);
                INDArray b = filled(p.b(type), random);
                assertSame(a, b, p, 0.5, 1.0, p.name() + ", beta 1, " + type);
            }
        }
    }

    /**
     * Products of every size from OpenBLAS's "direct" float32 kernel's range to its blocked driver's (no transposes,
     * alpha 1, beta 0), with k below and above the driver's k block: a split that put one half on the direct kernel
     * and the other on the blocked driver would show here.
     */
    @Test
    void aSplitNeverMixesOpenBlasCodePaths() {
        SplittableRandom random = new SplittableRandom(13);
        for (int k : new int[] {256, 784}) {
            for (int m = 4; m <= 480; m += 4) {
                for (int n : new int[] {254, 256, 384}) {
                    Product p = new Product("[" + m + "," + k + "] x [" + k + "," + n + "]", m, n, k, false, false);
                    assertSame(filled(p.a(DataType.FLOAT), random), filled(p.b(DataType.FLOAT), random), p, 1.0,
                            0.0, p.name());
                }
            }
        }
    }

    private static void assertSame(INDArray a, INDArray b, Product p, double alpha, double beta, String what) {
        DataType type = a.dataType();
        INDArray start = filled(Nd4j.create(type, p.m(), p.n()), new SplittableRandom(p.m() * 31L + p.n()));
        INDArray whole = start.dup();
        INDArray split = start.dup();
        Gemm.gemm(a, b, whole, p.transA(), p.transB(), alpha, beta, false);
        Gemm.gemm(a, b, split, p.transA(), p.transB(), alpha, beta, true);
        if (type == DataType.FLOAT) {
            assertArrayEquals(bits(whole.data().asFloat()), bits(split.data().asFloat()), what);
        } else {
            assertArrayEquals(bits(whole.data().asDouble()), bits(split.data().asDouble()), what);
        }
    }

    private static INDArray filled(INDArray x, SplittableRandom random) {
        NumericBuffer buffer = NumericBuffer.of(x);
        for (int i = 0; i < buffer.length(); i++) {
            buffer.set(i, random.nextGaussian());
        }
        return x;
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    private static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.doubleToRawLongBits(values[i]);
        }
        return out;
    }
}
