package org.streamingmlp.nn;

/**
 * {@code sum of x^2} over a buffer, accumulated in float64: the kernel of the global gradient norm. The order of the
 * additions is a function of the buffer's length alone (chunks of {@value #CHUNK}, eight interleaved accumulators
 * combined pairwise), so the same elements give bitwise the same sum whichever thread computes it.
 *
 * <p>Speed: read in bulk chunks into a heap array (one memcpy each, no per-element call through the NIO buffer), with
 * eight independent accumulators so the additions pipeline (four left the loop waiting on the add latency: 138
 * against 85 us for 269k floats).
 */
public final class SumOfSquares {
    static final int CHUNK = 4096;

    private SumOfSquares() {
    }

    /** {@code sum g^2} over all elements of {@code g}. */
    public static double of(NumericBuffer g) {
        int n = g.length();
        double[] acc = new double[8];
        if (g.isFloat32()) {
            float[] chunk = new float[Math.min(CHUNK, n)];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                float[] c = len == chunk.length ? chunk : new float[len];
                g.read(start, c);
                accumulate(c, acc);
            }
        } else {
            double[] chunk = new double[Math.min(CHUNK, n)];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                double[] c = len == chunk.length ? chunk : new double[len];
                g.read(start, c);
                accumulate(c, acc);
            }
        }
        return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    }

    private static void accumulate(float[] c, double[] acc) {
        double s0 = acc[0];
        double s1 = acc[1];
        double s2 = acc[2];
        double s3 = acc[3];
        double s4 = acc[4];
        double s5 = acc[5];
        double s6 = acc[6];
        double s7 = acc[7];
        int i = 0;
        for (; i + 7 < c.length; i += 8) {
            double a0 = c[i];
            double a1 = c[i + 1];
            double a2 = c[i + 2];
            double a3 = c[i + 3];
            double a4 = c[i + 4];
            double a5 = c[i + 5];
            double a6 = c[i + 6];
            double a7 = c[i + 7];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
            s4 += a4 * a4;
            s5 += a5 * a5;
            s6 += a6 * a6;
            s7 += a7 * a7;
        }
        for (; i < c.length; i++) {
            double a = c[i];
            s0 += a * a;
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
        acc[4] = s4;
        acc[5] = s5;
        acc[6] = s6;
        acc[7] = s7;
    }

    private static void accumulate(double[] c, double[] acc) {
        double s0 = acc[0];
        double s1 = acc[1];
        double s2 = acc[2];
        double s3 = acc[3];
        double s4 = acc[4];
        double s5 = acc[5];
        double s6 = acc[6];
        double s7 = acc[7];
        int i = 0;
        for (; i + 7 < c.length; i += 8) {
            s0 += c[i] * c[i];
            s1 += c[i + 1] * c[i + 1];
            s2 += c[i + 2] * c[i + 2];
            s3 += c[i + 3] * c[i + 3];
            s4 += c[i + 4] * c[i + 4];
            s5 += c[i + 5] * c[i + 5];
            s6 += c[i + 6] * c[i + 6];
            s7 += c[i + 7] * c[i + 7];
        }
        for (; i < c.length; i++) {
            s0 += c[i] * c[i];
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
        acc[4] = s4;
        acc[5] = s5;
        acc[6] = s6;
        acc[7] = s7;
    }
}
