package org.streamingmlp.bench;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.Gemm;

/**
 * Is a reduced-precision mode worth having? Times the forward product of the first layer, {@code [64,784] x
 * [256,784]^T -> [64,256]}, with ND4J's {@code Nd4j.gemm} in FLOAT, HALF and BFLOAT16 (and FLOAT through
 * {@link Gemm}, the direct OpenBLAS call the core uses), and measures each reduced type's error against the FLOAT
 * product: {@code ||C_low - C_float||_F / ||C_float||_F} and the largest element-wise {@code |C_low - C_float| /
 * max|C_float|}. Inputs are uniform in [0,1) like scaled pixels; weights Xavier-uniform-like in +-0.0753.
 * <pre>
 *   OPENBLAS_CORETYPE=SKYLAKEX OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *       org.streamingmlp.bench.ReducedPrecisionGemm [m=64] [k=784] [n=256]
 * </pre>
 */
public final class ReducedPrecisionGemm {
    public static void main(String[] args) {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 784;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray w = Nd4j.rand(DataType.FLOAT, n, k).subi(0.5).muli(2 * Math.sqrt(6.0 / (k + n)));
        INDArray reference = Nd4j.create(DataType.FLOAT, m, n);
        double flops = 2.0 * m * n * k;
        System.out.printf("gemm [%d,%d] x [%d,%d]^T, %.1f MFLOP per product%n", m, k, n, k, flops / 1e6);
        double tFloat = time(() -> Nd4j.gemm(x, w, reference, false, true, 1.0, 0.0), 200);
        System.out.printf("FLOAT    Nd4j.gemm   %8.1f us  %7.2f GFLOP/s%n", tFloat * 1e6, flops / tFloat / 1e9);
        INDArray direct = Nd4j.create(DataType.FLOAT, m, n);
        double tDirect = time(() -> Gemm.gemm(x, w, direct, false, true, 1.0, 0.0), 200);
        System.out.printf("FLOAT    cblas_sgemm %8.1f us  %7.2f GFLOP/s%n", tDirect * 1e6, flops / tDirect / 1e9);
        double scale = reference.amaxNumber().doubleValue();
        for (DataType type : new DataType[] {DataType.HALF, DataType.BFLOAT16}) {
            INDArray xl = x.castTo(type);
            INDArray wl = w.castTo(type);
            INDArray out = Nd4j.create(type, m, n);
            double t = time(() -> Nd4j.gemm(xl, wl, out, false, true, 1.0, 0.0), 5);
            INDArray diff = out.castTo(DataType.FLOAT).subi(reference);
            double relFrobenius = diff.norm2Number().doubleValue() / reference.norm2Number().doubleValue();
            double relMax = diff.amaxNumber().doubleValue() / scale;
            System.out.printf("%-8s Nd4j.gemm   %8.1f us  %7.2f GFLOP/s  (%.0fx slower than FLOAT)  relative error: "
                    + "Frobenius %.2e, max %.2e%n", type, t * 1e6, flops / t / 1e9, t / tFloat, relFrobenius, relMax);
        }
    }

    /** Median seconds of {@code reps} calls after a warm-up. */
    private static double time(Runnable r, int reps) {
        for (int i = 0; i < Math.max(3, reps / 10); i++) {
            r.run();
        }
        long[] ns = new long[reps];
        for (int i = 0; i < reps; i++) {
            long a = System.nanoTime();
            r.run();
            ns[i] = System.nanoTime() - a;
        }
        Arrays.sort(ns);
        return ns[reps / 2] / 1e9;
    }
}
