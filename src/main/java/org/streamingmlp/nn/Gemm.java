package org.streamingmlp.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha * op(A) op(B) + beta * C} for rank-2 row-major arrays, straight into OpenBLAS's
 * {@code cblas_sgemm}/{@code cblas_dgemm} (the same library, loaded from the same JavaCPP jar, that ND4J's own gemm
 * calls): the transposes are BLAS flags, no copy is made, and the per-call cost is one JNI call (about 1 microsecond)
 * instead of ND4J's op set-up (about 25 microseconds measured here for a 64x256x10 product), which matters at
 * small batches. Arrays that are not plain row-major with unit column stride fall back to {@link Nd4j#gemm}.
 *
 * <p>A one-row array counts as plain whatever its row stride: ND4J gives a {@code [1, n]} array the strides
 * {@code [1, 1]}, and with one row the row stride is never used (the leading dimension passed is {@code n}).
 * Without that, every batch-1 product (a single prediction) paid ND4J's op set-up.
 */
public final class Gemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private Gemm() {
    }

    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                            double beta) {
        gemm(a, b, c, transA, transB, alpha, beta, null);
    }

    /**
     * {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)} with the arrays' addresses taken
     * from {@code views} (made once per array there; null: made for this call).
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                            double beta, ArrayViews views) {
        DataType type = c.dataType();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || a.dataType() != type || b.dataType() != type
                || !plain(a) || !plain(b) || !plain(c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        long m = transA ? a.columns() : a.rows();
        long k = transA ? a.rows() : a.columns();
        long kb = transB ? b.columns() : b.rows();
        long n = transB ? b.rows() : b.columns();
        if (k != kb || c.rows() != m || c.columns() != n) {
            throw new IllegalArgumentException("gemm shapes do not match: " + java.util.Arrays.toString(a.shape())
                    + (transA ? "^T" : "") + " x " + java.util.Arrays.toString(b.shape()) + (transB ? "^T" : "")
                    + " -> " + java.util.Arrays.toString(c.shape()));
        }
        int ta = transA ? TRANS : NO_TRANS;
        int tb = transB ? TRANS : NO_TRANS;
        Pointer pa = views == null ? address(a) : views.pointer(a);
        Pointer pb = views == null ? address(b) : views.pointer(b);
        Pointer pc = views == null ? address(c) : views.pointer(c);
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, (int) m, (int) n, (int) k, (float) alpha,
                    (FloatPointer) pa, (int) a.columns(), (FloatPointer) pb, (int) b.columns(), (float) beta,
                    (FloatPointer) pc, (int) c.columns());
        } else {
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, ta, tb, (int) m, (int) n, (int) k, alpha, (DoublePointer) pa,
                    (int) a.columns(), (DoublePointer) pb, (int) b.columns(), beta, (DoublePointer) pc,
                    (int) c.columns());
        }
    }

    /** A typed pointer to element 0 of a float32 or float64 array. */
    static Pointer address(INDArray x) {
        return x.dataType() == DataType.FLOAT ? floats(x) : doubles(x);
    }

    static boolean plain(INDArray x) {
        return x.rank() == 2 && x.ordering() == 'c' && x.stride(1) == 1
                && (x.stride(0) == x.columns() || x.rows() == 1) && x.length() > 0;
    }

    /** The address of element 0: a view's buffer pointer already includes the buffer's own offset. */
    private static long extraOffset(INDArray x) {
        return x.offset() - x.data().offset();
    }

    private static FloatPointer floats(INDArray x) {
        FloatPointer base = (FloatPointer) x.data().addressPointer();
        long extra = extraOffset(x);
        return extra == 0 ? base : new FloatPointer(base).position(base.position() + extra);
    }

    private static DoublePointer doubles(INDArray x) {
        DoublePointer base = (DoublePointer) x.data().addressPointer();
        long extra = extraOffset(x);
        return extra == 0 ? base : new DoublePointer(base).position(base.position() + extra);
    }
}
