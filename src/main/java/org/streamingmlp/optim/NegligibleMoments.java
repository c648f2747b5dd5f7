package org.streamingmlp.optim;

/**
 * The sweep of AdamW moments too small to change any parameter: set to zero before they turn subnormal. In float32
 * each chunk of {@link AdamW#CHUNK} elements is swept every {@link #PERIOD} steps, chosen by its index and the step
 * count (so a run resumed from a checkpoint, or split differently between threads, sweeps exactly as an
 * uninterrupted one-thread run); in float64 all moments every {@link #PERIOD} steps.
 *
 * <p>Why: a weight whose gradient is exactly zero for a while (an input pixel that is zero in the whole batch, a
 * unit ReLU keeps off) has its first moment multiplied by {@code beta1 = 0.9} every step, and after about 700
 * steps it is a subnormal float (a double after about 6,600). x86 cores do arithmetic on subnormals in microcode, tens
 * of times slower, and the JVM leaves flush-to-zero off: on Fashion-MNIST, one update with a fifth of its moments
 * subnormal took 4x as long as one without (a stand-alone loop over 270,000 elements: 208 us -> 1,500 us). PyTorch
 * keeps them too ({@code torch.set_flush_denormal(True)} is its switch, off by default) and slows down the same way.
 *
 * <p>Why it changes nothing: a first moment below {@code 2^-100} moves its parameter by at most
 * {@code lr / (1 - beta1) * 2^-100 / eps} (below 1.2e-24 with lr 1e-3 or 3e-3, beta1 0.9 or 0.8, eps 1e-8), under
 * half an ulp of any parameter above 1e-16 in magnitude; a second moment below {@code 2^-120} adds at most
 * {@code 2^-60 / sqrt(1 - beta2)} (below 3e-17) to {@code eps} in the denominator, under half an ulp of eps for any
 * eps above about 5e-10 (the default is 1e-8), so the denominator is the same float. A moment set to zero and then
 * given a tiny gradient differs from the formula's by at most the floor, which moves nothing either. Between two
 * sweeps a moment at the floor shrinks by {@code beta1^64} (beta1 0.8: {@code 2^-20.6}; any beta1 above 0.754 keeps
 * it above {@code 2^-126}) and {@code beta2^64} (beta2 above 0.937), so it stays a normal float; with smaller betas
 * some moments can turn subnormal between sweeps, which costs speed only. The float64 floors ({@code 2^-900},
 * {@code 2^-1000}) are as far below any parameter's ulp and eps's. {@code AdamWFlushTest} checks runs with decaying
 * moments and with moments around both floors against the formula without the sweep.
 */
final class NegligibleMoments {

    /** Each chunk's moments are swept once every this many steps. */
    static final int PERIOD = 64;
    /** float32 first moments below this are set to zero: {@code 2^-100}. */
    static final float M_FLOOR = 0x1p-100f;
    /** float32 second moments below this are set to zero: {@code 2^-120}. */
    static final float V_FLOOR = 0x1p-120f;
    /** float64 first moments below this are set to zero: {@code 2^-900}. */
    static final double M_FLOOR_64 = 0x1p-900;
    /** float64 second moments below this are set to zero: {@code 2^-1000}. */
    static final double V_FLOOR_64 = 0x1p-1000;

    private NegligibleMoments() {
    }

    /** True when chunk {@code chunk} is swept after step {@code t}. */
    static boolean due(long chunk, long t) {
        return Math.floorMod(chunk - t, PERIOD) == 0;
    }

    /** Sets to zero the first {@code len} float32 moments below the floors. */
    static void flush(float[] m, float[] v, int len) {
        for (int i = 0; i < len; i++) {
            if (Math.abs(m[i]) < M_FLOOR) {
                m[i] = 0f;
            }
            if (v[i] < V_FLOOR) {
                v[i] = 0f;
            }
        }
    }

    /** Sets to zero the first {@code len} float64 moments below the floors. */
    static void flush(double[] m, double[] v, int len) {
        for (int i = 0; i < len; i++) {
            if (Math.abs(m[i]) < M_FLOOR_64) {
                m[i] = 0.0;
            }
            if (v[i] < V_FLOOR_64) {
                v[i] = 0.0;
            }
        }
    }
}
