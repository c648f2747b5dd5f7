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
 *
 * <p>Two cores: OpenBLAS runs one thread here (its own threads spin while they wait and were slower on this
 * machine), so a large product is split in two blocks of C, by rows or by columns ({@link #splitPoint}): the first
 * block is computed by this thread and the second by {@link HelperThread}, each with its own OpenBLAS call over
 * its rows of {@code op(A)} and its columns of {@code op(B)}. Each element of C is still the dot product of one row
 * of {@code op(A)} with one column of {@code op(B)}, blocked over k exactly as in the unsplit call (OpenBLAS's k
 * blocking does not depend on m or n), so the result is bit-identical to the one-call product, as long as both
 * blocks take the same OpenBLAS code path as the whole; {@link #splitPoint} only splits where they do
 * ({@code GemmSplitTest} checks it over the model's shapes). Property {@code streamingmlp.gemm.helper-threads}
 * (default 1; 0 never splits).
 */
public final class Gemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    /**
     * A product is split only when each half has more than this many multiply-adds ({@code m n k}); it is also the
     * size up to which OpenBLAS may use its "small matrix" kernels. Measured here with a warm helper: a 32x256x256
     * product (two halves of 1.05 M) takes 28 us split against 40 us whole, so smaller thresholds are not needed.
     */
    static final long SPLIT_MIN_HALF_WORK = 1_000_000;
    /** The first block's rows or columns are a multiple of this, so each block keeps whole kernel tiles. */
    static final int SPLIT_ALIGN = 64;
    /**
     * OpenBLAS 0.3.19 sends products of at most 100^3 multiply-adds to its "small matrix" kernels (SKYLAKEX only;
     * its other core types have none).
     */
    static final long OPENBLAS_SMALL_MAX = 100L * 100 * 100;
    /** ... and row-major float32 NN products with alpha 1, beta 0 below 28 x 512^2 to its "direct" kernel. */
    static final long OPENBLAS_DIRECT_MAX = 28L * 512 * 512;
    private static volatile boolean split = Integer.getInteger("streamingmlp.gemm.helper-threads", 1) > 0
            && HelperThread.available();
    /** Read on first use: OpenBLAS's own thread count (1 when {@code OMP_NUM_THREADS=1}). */
    private static volatile Boolean openBlasSingleThreaded;

    private Gemm() {
    }

    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                            double beta) {
        gemm(a, b, c, transA, transB, alpha, beta, null, split);
    }

    /**
     * {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, double, double)} with the arrays' addresses taken
     * from {@code views} (made once per array there; null: made for this call).
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                            double beta, ArrayViews views) {
        gemm(a, b, c, transA, transB, alpha, beta, views, split);
    }

    /**
     * Process-wide: whether large products may be split across the {@link HelperThread} (the default, unless
     * {@code streamingmlp.gemm.helper-threads=0} or the machine has one core). An application whose second core has
     * other work (the service's Kafka ingest) turns it off: the split moves work to that core, it does not remove it.
     */
    public static void splitAcrossHelper(boolean enabled) {
        split = enabled && HelperThread.available();
    }

    /** Whether large products are split across the {@link HelperThread} now ({@link #splitAcrossHelper}). */
    public static boolean splitsAcrossHelper() {
        return split;
    }

    /**
     * Where {@link #splitPoint} cuts a length in two when it splits: the nearest multiple of {@link #SPLIT_ALIGN} to
     * its half (0 for lengths below {@code SPLIT_ALIGN}). Other passes over a split product's output cut at the same
     * place, so each thread reads what it wrote.
     */
    static int alignedHalf(long length) {
        return (int) (Math.round(length / (2.0 * SPLIT_ALIGN)) * SPLIT_ALIGN);
    }

    /**
     * True when {@link #gemm} would split {@code C [m, n] = A^T B} (k the shared dimension) across the helper: its
     * rows {@code [0, alignedHalf(m))} on the calling thread, the rest on the helper.
     */
    static boolean splitsTransposedProduct(boolean float32, long m, long n, long k) {
        return split && singleThreadedOpenBlas() && splitPoint(float32, true, false, m, n, k, 1.0, 0.0) != 0;
    }

    /** {@code mayUseHelper = false} keeps the product in one call on this thread (tests compare both). */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta,
                     boolean mayUseHelper) {
        gemm(a, b, c, transA, transB, alpha, beta, null, mayUseHelper);
    }

    private static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                             double beta, ArrayViews views, boolean mayUseHelper) {
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
        boolean float32 = type == DataType.FLOAT;
        Pointer pa = views == null ? address(a) : views.pointer(a);
        Pointer pb = views == null ? address(b) : views.pointer(b);
        Pointer pc = views == null ? address(c) : views.pointer(c);
        int first = mayUseHelper && singleThreadedOpenBlas()
                ? splitPoint(float32, transA, transB, m, n, k, alpha, beta) : 0;
        int lda = (int) a.columns();
        int ldb = (int) b.columns();
        int ldc = (int) c.columns();
        int rows = (int) m;
        int cols = (int) n;
        if (first == 0) {
            call(float32, transA, transB, rows, cols, (int) k, alpha, pa, 0, lda, pb, 0, ldb, beta, pc, 0, ldc);
        } else if (transA) {
            // rows [first, m) of C: columns of A (stored [k, m]), the same rows of C
            HelperThread.runBoth(
                    () -> call(float32, true, transB, first, cols, (int) k, alpha, pa, 0, lda, pb, 0, ldb, beta, pc,
                            0, ldc),
                    () -> call(float32, true, transB, rows - first, cols, (int) k, alpha, pa, first, lda, pb, 0, ldb,
                            beta, pc, (long) first * ldc, ldc));
        } else {
            // columns [first, n) of C: rows of B when transposed (stored [n, k]), else its columns
            long bAt = transB ? (long) first * ldb : first;
            HelperThread.runBoth(
                    () -> call(float32, false, transB, rows, first, (int) k, alpha, pa, 0, lda, pb, 0, ldb, beta,
                            pc, 0, ldc),
                    () -> call(float32, false, transB, rows, cols - first, (int) k, alpha, pa, 0, lda, pb, bAt, ldb,
                            beta, pc, first, ldc));
        }
    }

    /**
     * Where to split a product in two, or 0 to leave it whole: the rows of C when A is transposed (a weight gradient
     * {@code R^T x}: measured faster than a column split here, 100 against 125 us for 256x784x64), else its
     * columns; the first part's size is a multiple of {@link #SPLIT_ALIGN}. Both parts must be worth a hand-off
     * (more than {@link #SPLIT_MIN_HALF_WORK} multiply-adds) and must take the code path OpenBLAS takes for the whole
     * product. OpenBLAS 0.3.19 has three paths for a one-thread gemm: the blocked driver (k cut into blocks that
     * depend on k alone, each element accumulated over a block in the same order whatever m and n), its "small
     * matrix" kernels (at most {@link #OPENBLAS_SMALL_MAX} multiply-adds; their order depends on the shape, so never
     * split there) and, on AVX-512, the "direct" float32 kernel (row-major, no transposes, alpha 1, beta 0, below
     * {@link #OPENBLAS_DIRECT_MAX}; each element one fused multiply-add chain over all of k, so a split of whole
     * column blocks that keeps all three products on it, or all off it, changes nothing). The last rule is caution:
     * products that put one half on the direct kernel and the other on the blocked driver came out identical too in
     * {@code GemmSplitTest}'s sweep, but nothing in OpenBLAS promises it.
     */
    static int splitPoint(boolean float32, boolean transA, boolean transB, long m, long n, long k, double alpha,
                          double beta) {
        long length = transA ? m : n;
        long first = alignedHalf(length);
        long second = length - first;
        long across = (transA ? n : m) * k;
        long atMost = Math.max(SPLIT_MIN_HALF_WORK, OPENBLAS_SMALL_MAX);
        if (first <= 0 || second <= 0 || first * across <= atMost || second * across <= atMost) {
            return 0;
        }
        if (float32 && !transA && !transB && alpha == 1.0 && beta == 0.0) {
            boolean whole = direct(m, n, k);
            if (direct(m, first, k) != whole || direct(m, second, k) != whole) {
                return 0;
            }
        }
        return (int) first;
    }

    /** OpenBLAS 0.3.19's {@code sgemm_kernel_direct_performant} (skylakex) with one OpenBLAS thread. */
    private static boolean direct(long m, long n, long k) {
        long mnk = m * n * k;
        return mnk < OPENBLAS_DIRECT_MAX && ((n & 3) == 0 || mnk < 8L * 512 * 512);
    }

    static boolean singleThreadedOpenBlas() {
        Boolean single = openBlasSingleThreaded;
        if (single == null) {
            single = Nd4j.factory().blas().getMaxThreads() <= 1;
            openBlasSingleThreaded = single;
        }
        return single;
    }

    private static void call(boolean float32, boolean transA, boolean transB, int m, int n, int k, double alpha,
                             Pointer a, long aAt, int lda, Pointer b, long bAt, int ldb, double beta, Pointer c,
                             long cAt, int ldc) {
        int ta = transA ? TRANS : NO_TRANS;
        int tb = transB ? TRANS : NO_TRANS;
        if (float32) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, (float) alpha, (FloatPointer) at(a, aAt), lda,
                    (FloatPointer) at(b, bAt), ldb, (float) beta, (FloatPointer) at(c, cAt), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, ta, tb, m, n, k, alpha, (DoublePointer) at(a, aAt), lda,
                    (DoublePointer) at(b, bAt), ldb, beta, (DoublePointer) at(c, cAt), ldc);
        }
    }

    /** {@code p} moved on by {@code elements} (a new pointer: {@code p} may be a cached view's). */
    private static Pointer at(Pointer p, long elements) {
        if (elements == 0) {
            return p;
        }
        return p instanceof FloatPointer f ? new FloatPointer(f).position(f.position() + elements)
                : new DoublePointer((DoublePointer) p).position(p.position() + elements);
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
