package org.streamingmlp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.Gemm;

/**
 * Which {@code OPENBLAS_CORETYPE} is fastest here? Times the float32 gemms of one training step of 784-256-256-10
 * through {@link Gemm} (the direct {@code cblas_sgemm} the core uses): per layer the forward product
 * {@code [b,in] x [out,in]^T}, the weight gradient {@code [b,out]^T x [b,in]} and the input gradient
 * {@code [b,out] x [out,in]} (none for the first layer), median microseconds over many repetitions, summed per step:
 * wall time and this thread's CPU time (OpenBLAS runs on the calling thread with {@code OMP_NUM_THREADS=1}, so the
 * CPU time leaves out the time the thread waited for a core on a busy machine). Run it once per core type; {@code OPENBLAS_VERBOSE=2} makes OpenBLAS print the kernel set it actually chose
 * ({@code Core: SkylakeX}) when the library loads.
 * <pre>
 *   OPENBLAS_CORETYPE=SKYLAKEX OPENBLAS_VERBOSE=2 OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *       org.streamingmlp.bench.CoreTypeGemm [batches=64,256] [reps=400]
 * </pre>
 * Prints one line per batch: {@code batch 64: gemm per step 123.4 us (cpu 120.1 us), 98.7 GFLOP/s (cpu 101.4)}.
 */
public final class CoreTypeGemm {
    private static final int[] SIZES = {784, 256, 256, 10};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int[] batches = Arrays.stream((args.length > 0 ? args[0] : "64,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        System.out.printf("OPENBLAS_CORETYPE=%s OMP_NUM_THREADS=%s%n", System.getenv("OPENBLAS_CORETYPE"),
                System.getenv("OMP_NUM_THREADS"));
        Nd4j.getRandom().setSeed(1);
        for (int b : batches) {
            double[] micros = new double[2];
            double flops = 0;
            for (int l = 1; l < SIZES.length; l++) {
                int in = SIZES[l - 1];
                int out = SIZES[l];
                INDArray x = Nd4j.rand(DataType.FLOAT, b, in);
                INDArray w = Nd4j.rand(DataType.FLOAT, out, in).subi(0.5).muli(0.1);
                INDArray y = Nd4j.create(DataType.FLOAT, b, out);
                INDArray g = Nd4j.rand(DataType.FLOAT, b, out);
                INDArray dw = Nd4j.create(DataType.FLOAT, out, in);
                INDArray dx = Nd4j.create(DataType.FLOAT, b, in);
                add(micros, time(() -> Gemm.gemm(x, w, y, false, true, 1.0, 0.0), reps));
                add(micros, time(() -> Gemm.gemm(g, x, dw, true, false, 1.0, 0.0), reps));
                flops += 2 * 2.0 * b * in * out;
                if (l > 1) {
                    add(micros, time(() -> Gemm.gemm(g, w, dx, false, false, 1.0, 0.0), reps));
                    flops += 2.0 * b * in * out;
                }
            }
            System.out.printf("batch %d: gemm per step %.1f us (cpu %.1f us), %.1f GFLOP/s (cpu %.1f)%n", b, micros[0],
                    micros[1], flops / micros[0] / 1e3, flops / micros[1] / 1e3);
        }
    }

    private static void add(double[] sum, double[] x) {
        sum[0] += x[0];
        sum[1] += x[1];
    }

    /** Median wall and thread-CPU microseconds of {@code reps} calls after a warm-up. */
    private static double[] time(Runnable r, int reps) {
        for (int i = 0; i < Math.max(10, reps / 10); i++) {
            r.run();
        }
        long[] wall = new long[reps];
        long[] cpu = new long[reps];
        for (int i = 0; i < reps; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            r.run();
            wall[i] = System.nanoTime() - a;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {wall[reps / 2] / 1e3, cpu[reps / 2] / 1e3};
    }
}
