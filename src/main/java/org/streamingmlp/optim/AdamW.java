package org.streamingmlp.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.HelperThread;
import org.streamingmlp.nn.NumericBuffer;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), exactly as
 * {@code torch.optim.AdamW} (amsgrad off). With state {@code m = v = 0, t = 0}, each step with gradient {@code g}
 * (optionally pre-multiplied by a clipping coefficient) and current learning rate {@code lr}:
 * <pre>
 *   t += 1
 *   p = p * (1 - lr*wd)                       (decoupled decay; only the first {@code decayedLength} elements
 *                                              when biases and norms are excluded)
 *   m = b1*m + (1-b1)*g ;  v = b2*v + (1-b2)*g^2
 *   p = p - (lr/(1 - b1^t)) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)
 * </pre>
 * {@code eps} is added after dividing {@code sqrt(v)} by {@code sqrt(1 - b2^t)}. Moments too small to move any
 * parameter by one ulp are set to zero every 64 steps, before they turn subnormal ({@link NegligibleMoments}):
 * the parameters stay those of the formula, and an update no longer slows down fourfold on subnormal arithmetic.
 *
 * <p>Speed: the flat parameter and gradient buffers are bulk-copied to heap arrays, updated by one plain loop that
 * the JIT can vectorise, and bulk-copied back (in float32 chunk by chunk: parameters, gradients and both moments of 1024 elements are copied into four small
 * arrays that stay in the L1 cache, updated by a loop whose arrays all share one index, which the JIT vectorises,
 * and copied back, so each buffer crosses the memory bus once per step); the moments are kept in the model's precision (float32 or float64),
 * like PyTorch.
 *
 * <p>Lifecycle: construct (state zero), {@link #step} once per optimizer step, {@link #reset} to forget.
 */
public final class AdamW {
    private final AdamWConfig config;
    private final int size;
    private final boolean float32;
    private final float[] m32;
    private final float[] v32;
    private final ChunkArrays[] workers;
    private final boolean useHelper;
    /** Element ranges (from, to pairs, ascending) the caller and the helper update when the update is split. */
    private final int[] callerRanges;
    private final int[] helperRanges;
    private final double[] m64;
    private final double[] v64;
    private final double[] p64;
    private final double[] g64;
    private long t;
    /** float32 updates run chunk by chunk, so the heap copies of parameters and gradients stay in the L1 cache. */
    static final int CHUNK = 1024;
    /**
     * A float32 update of at least this many elements is split in two halves, the second run by the step's shared
     * daemon {@link HelperThread}: the update streams parameters, gradients and both moments through memory once
     * (about 7.5 MB for 270k parameters), and one core alone cannot draw that bandwidth. An interrupt during the
     * update no longer aborts it: both halves finish and the thread keeps its interrupt flag; a failure of either half
     * is rethrown as is. Every element is updated by the same
     * arithmetic whichever thread runs it, so the result is bit-identical to a one-thread update. Property
     * {@code streamingmlp.adamw.helper-threads} (default 1; 0 turns the helper off).
     */
    static final int PARALLEL_MIN_SIZE = 65_536;
    private static final int HELPER_THREADS = Integer.getInteger("streamingmlp.adamw.helper-threads", 1) > 0
            && HelperThread.available() ? 1 : 0;

    /** State in float64. */
    public AdamW(AdamWConfig config, int size) {
        this(config, size, DataType.DOUBLE);
    }

    /** State in the given precision (FLOAT or DOUBLE). */
    public AdamW(AdamWConfig config, int size, DataType stateType) {
        this(config, size, stateType, null);
    }

    /**
     * State in the given precision, with the elements the {@link HelperThread} updates when a float32 update is split:
     * {@code helperRanges} holds {@code from, to} pairs, ascending and disjoint, within {@code [0, size)}; the caller
     * updates the rest. A model hands the elements whose gradients the helper computed
     * ({@code Mlp.helperParameterRanges()}), so each core updates what is in its own cache. Null, or ranges that
     * leave either thread less than a quarter of the elements: the second half.
     */
    public AdamW(AdamWConfig config, int size, DataType stateType, int[] helperRanges) {
        this(config, size, stateType, HELPER_THREADS > 0, helperRanges);
    }

    /** {@code useHelper = false} keeps every update on the calling thread (tests compare both paths). */
    AdamW(AdamWConfig config, int size, DataType stateType, boolean useHelper) {
        this(config, size, stateType, useHelper, null);
    }

    AdamW(AdamWConfig config, int size, DataType stateType, boolean useHelper, int[] helperRanges) {
        this.useHelper = useHelper;
        UpdatePartition partition = UpdatePartition.of(helperRanges, size, CHUNK);
        this.helperRanges = partition.helper();
        this.callerRanges = partition.caller();
        this.config = config;
        this.size = size;
        this.float32 = stateType == DataType.FLOAT;
        int n32 = float32 ? size : 0;
        int n64 = float32 ? 0 : size;
        this.m32 = new float[n32];
        this.v32 = new float[n32];
        int chunk = float32 ? Math.min(CHUNK, size) : 0;
        this.workers = new ChunkArrays[] {new ChunkArrays(chunk), new ChunkArrays(chunk)};
        this.m64 = new double[n64];
        this.v64 = new double[n64];
        this.p64 = new double[n64];
        this.g64 = new double[n64];
    }

    public AdamWConfig config() {
        return config;
    }

    /** First moment (a copy, as float64). */
    public double[] firstMoment() {
        return float32 ? widen(m32) : m64.clone();
    }

    /** Second moment (a copy, as float64). */
    public double[] secondMoment() {
        return float32 ? widen(v32) : v64.clone();
    }

    private static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** What a checkpoint saves: step count and both moments (as float64, flat, in the parameter layout). */
    public record State(long step, double[] firstMoment, double[] secondMoment) {
        public State {
            if (step < 0 || firstMoment.length != secondMoment.length) {
                throw new IllegalArgumentException("invalid AdamW state");
            }
            firstMoment = firstMoment.clone();
            secondMoment = secondMoment.clone();
        }

        @Override
        public double[] firstMoment() {
            return firstMoment.clone();
        }

        @Override
        public double[] secondMoment() {
            return secondMoment.clone();
        }
    }

    /** A copy of the optimizer state. */
    public State state() {
        return new State(t, firstMoment(), secondMoment());
    }

    /** Replaces the optimizer state (e.g. when resuming from a checkpoint). */
    public void restore(State state) {
        if (state.firstMoment.length != size) {
            throw new IllegalArgumentException("AdamW state has " + size + " elements, checkpoint has "
                    + state.firstMoment.length);
        }
        for (int i = 0; i < size; i++) {
            if (float32) {
                m32[i] = (float) state.firstMoment[i];
                v32[i] = (float) state.secondMoment[i];
            } else {
                m64[i] = state.firstMoment[i];
                v64[i] = state.secondMoment[i];
            }
        }
        t = state.step();
    }

    /** Forgets the moments and the step count. */
    public void reset() {
        java.util.Arrays.fill(m32, 0f);
        java.util.Arrays.fill(v32, 0f);
        java.util.Arrays.fill(m64, 0.0);
        java.util.Arrays.fill(v64, 0.0);
        t = 0;
    }

    /** One update of {@code params} using {@code grads}; elements {@code [0, decayedLength)} get weight decay. */
    public void step(NumericBuffer params, NumericBuffer grads, double lr, int decayedLength) {
        step(params, grads, lr, decayedLength, 1.0);
    }

    /**
     * One update using {@code gradScale * grads} as the gradient (the global-norm clipping coefficient, so the
     * gradient buffer need not be rewritten); {@code grads} itself is not modified.
     */
    public void step(NumericBuffer params, NumericBuffer grads, double lr, int decayedLength, double gradScale) {
        if (params.length() != size || grads.length() != size) {
            throw new IllegalArgumentException("AdamW state has " + size + " elements, got " + params.length());
        }
        t++;
        double decay = 1.0 - lr * config.weightDecay();
        int decayEnd = config.decayBiasesAndNorms() ? size : Math.min(decayedLength, size);
        double stepSize = lr / (1.0 - Math.pow(config.beta1(), t));
        double sqrtBc2 = Math.sqrt(1.0 - Math.pow(config.beta2(), t));
        if (float32) {
            Update32 u = new Update32(params, grads, decayEnd, (float) decay, (float) gradScale, (float) stepSize,
                    (float) sqrtBc2);
            if (size < PARALLEL_MIN_SIZE || !useHelper) {
                u.run(workers[0], 0, size);
            } else {
                HelperThread.runBoth(() -> u.run(workers[0], callerRanges), () -> u.run(workers[1], helperRanges));
            }
        } else {
            params.read(0, p64);
            grads.read(0, g64);
            update64(0, decayEnd, decay, gradScale, stepSize, sqrtBc2);
            update64(decayEnd, size, 1.0, gradScale, stepSize, sqrtBc2);
            if (NegligibleMoments.due(0, t)) {
                NegligibleMoments.flush(m64, v64, size);
            }
            params.write(0, p64);
        }
    }

    /** The arguments of one float32 update; {@link #run} updates elements {@code [from, to)}. */
    private final class Update32 {
        private final NumericBuffer params;
        private final NumericBuffer grads;
        private final int decayEnd;
        private final float decay;
        private final float scale;
        private final float stepSize;
        private final float sqrtBc2;

        Update32(NumericBuffer params, NumericBuffer grads, int decayEnd, float decay, float scale, float stepSize,
                 float sqrtBc2) {
            this.params = params;
            this.grads = grads;
            this.decayEnd = decayEnd;
            this.decay = decay;
            this.scale = scale;
            this.stepSize = stepSize;
            this.sqrtBc2 = sqrtBc2;
        }

        void run(ChunkArrays w, int[] ranges) {
            for (int i = 0; i < ranges.length; i += 2) {
                run(w, ranges[i], ranges[i + 1]);
            }
        }

        void run(ChunkArrays w, int from, int to) {
            // windows never cross a multiple of CHUNK, so each lies in one absolute chunk, swept at the same steps
            // whichever thread runs it and wherever the split between threads falls
            for (int start = from, len; start < to; start += len) {
                len = Math.min(CHUNK - start % CHUNK, to - start);
                params.window(start, len).readFirst(w.p, len);
                grads.window(start, len).readFirst(w.g, len);
                System.arraycopy(m32, start, w.m, 0, len);
                System.arraycopy(v32, start, w.v, 0, len);
                int split = Math.max(0, Math.min(len, decayEnd - start));
                update32(w, 0, split, decay, scale, stepSize, sqrtBc2);
                update32(w, split, len, 1f, scale, stepSize, sqrtBc2);
                if (NegligibleMoments.due(start / CHUNK, t)) {
                    NegligibleMoments.flush(w.m, w.v, len);
                }
                params.window(start, len).writeFirst(w.p, len);
                System.arraycopy(w.m, 0, m32, start, len);
                System.arraycopy(w.v, 0, v32, start, len);
            }
        }
    }

    /** L1-sized copies of one chunk of parameters, gradients and moments; one set per thread. */
    private static final class ChunkArrays {
        final float[] p;
        final float[] g;
        final float[] m;
        final float[] v;

        ChunkArrays(int n) {
            p = new float[n];
            g = new float[n];
            m = new float[n];
            v = new float[n];
        }
    }

    private void update32(ChunkArrays w, int from, int to, float decay, float scale, float stepSize, float sqrtBc2) {
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float c1 = (float) (1.0 - config.beta1());
        float c2 = (float) (1.0 - config.beta2());
        float eps = (float) config.eps();
        float[] p = w.p;
        float[] g = w.g;
        float[] m = w.m;
        float[] v = w.v;
        for (int i = from; i < to; i++) {
            float gi = g[i] * scale;
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    private void update64(int from, int to, double decay, double scale, double stepSize, double sqrtBc2) {
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.eps();
        double[] p = p64;
        double[] g = g64;
        double[] m = m64;
        double[] v = v64;
        for (int i = from; i < to; i++) {
            double gi = g[i] * scale;
            double mi = b1 * m[i] + (1.0 - b1) * gi;
            double vi = b2 * v[i] + (1.0 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }
}
