package org.streamingmlp.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1-p} and scaled by {@code 1/(1-p)},
 * so evaluation is the identity. {@code dx = R * mask} with the same mask.
 *
 * <p>Masks: a SplitMix64 stream, the one {@code new SplittableRandom(streamSeed)} gives: draw {@code k} (from 1) is
 * {@code mix64(streamSeed + k * GOLDEN_GAMMA)}. Written out instead of called, any draw can be computed without the
 * ones before it, so the mask of a large batch is drawn in two halves, the second on the {@link HelperThread}
 * ({@link HelperThread#runHalves}; when products are split, {@link Gemm#splitsAcrossHelper}), bit for bit the mask
 * of one sequential stream. One 64-bit draw gives two 32-bit uniforms (elements {@code 2j}, {@code 2j+1});
 * element {@code i} is kept when its uniform {@code u} (an unsigned 32-bit integer) satisfies
 * {@code u >= round(p * 2^32)}, so the keep probability is {@code 1-p} to within {@code 2^-32}. Successive training
 * passes continue the stream; {@link #reseed} starts a new one. The mask is a heap array of {@code 0} or
 * {@code 1/(1-p)}; the input is bulk-copied to the heap, multiplied in the loop that makes the mask from the draws,
 * and bulk-copied back.
 */
public final class Dropout implements Layer {
    /** {@code SplittableRandom}'s increment for a stream made from a seed alone. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** float32 batches of at least this many elements are drawn in two halves (~8 us of work each here). */
    static final int SPLIT_MIN_ELEMENTS = 8192;
    private final double p;
    private final long threshold;
    /** float32 mask values by keep bit: {@code {0, 1/(1-p)}}. */
    private final float[] keep32;
    private long streamSeed;
    /** 64-bit draws taken from the current stream so far. */
    private long drawn;
    private final ScratchArrays scratch;
    private float[] mask32 = new float[0];
    private double[] mask64 = new double[0];
    private float[] work32 = new float[0];
    /** float32 forward: the draws of the current pass (element {@code i} uses draw {@code i / 2}). */
    private long[] draws = new long[0];
    private double[] work64 = new double[0];
    private boolean active;

    /**
     * {@code random} seeds the first stream (one draw), used until {@link #reseed}; a model reseeds before every
     * training step.
     */
    public Dropout(double p, SplittableRandom random, org.nd4j.linalg.api.buffer.DataType dataType) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("mlp.model.dropout must be in [0, 1), got " + p);
        }
        this.p = p;
        this.threshold = Math.round(p * 4294967296.0);
        this.keep32 = new float[] {0f, (float) (1.0 / (1.0 - p))};
        this.streamSeed = random.nextLong();
        this.scratch = new ScratchArrays(dataType);
    }

    /**
     * Starts a new random stream for the next masks, the one of {@code new SplittableRandom(streamSeed)}. The model
     * reseeds every dropout layer from (seed, step, layer) before each training step, so the masks are a pure
     * function of the step: a run resumed from a checkpoint draws exactly the masks an uninterrupted run would, with
     * no random state to save.
     */
    public void reseed(long streamSeed) {
        this.streamSeed = streamSeed;
        this.drawn = 0;
    }

    /** Draw {@code k} (from 1) of the current stream: {@code SplittableRandom.nextLong()}'s k-th value. */
    private long draw(long k) {
        return mix64(streamSeed + k * GOLDEN_GAMMA);
    }

    /** SplitMix64's output function ({@code SplittableRandom.mix64}). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        active = training && p > 0.0;
        if (!active) {
            return x;
        }
        int n = (int) x.length();
        INDArray y = scratch.get("y", x.rows(), x.columns());
        NumericBuffer xb = NumericBuffer.of(x);
        NumericBuffer yb = NumericBuffer.of(y);
        double scale = 1.0 / (1.0 - p);
        long first = drawn + 1;  // draw of elements 0 and 1
        drawn += (n + 1) / 2;
        if (xb.isFloat32()) {
            if (mask32.length < n) {
                mask32 = new float[n];
                work32 = new float[n];
                draws = new long[(n + 1) / 2];
            }
            float s = (float) scale;
            HelperThread.runHalves(n, SPLIT_MIN_ELEMENTS, Gemm.splitsAcrossHelper(),
                    (from, to) -> forward32(xb, yb, first, s, n, from, to));
            return y;
        }
        if (mask64.length < n) {
            mask64 = new double[n];
            work64 = new double[n];
        }
        double[] m = mask64;
        long th = threshold;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = draw(first + (i >> 1));
            m[i] = (bits >>> 32) >= th ? scale : 0.0;
            m[i + 1] = (bits & 0xffffffffL) >= th ? scale : 0.0;
        }
        if (i < n) {
            m[i] = (draw(first + (i >> 1)) >>> 32) >= th ? scale : 0.0;
        }
        double[] w = work64;
        xb.readFirst(w, n);
        for (int k = 0; k < n; k++) {
            w[k] *= m[k];
        }
        yb.writeFirst(w, n);
        return y;
    }

    /**
     * Elements {@code [from, to)} ({@code from} even) of a float32 forward pass: draw the mask, {@code y = x * m}.
     * Three loops rather than one, each of which the JIT compiles well: the draws' counters
     * {@code streamSeed + k * GOLDEN_GAMMA} (one addition each), their {@code mix64} (element-wise 64-bit
     * arithmetic, which C2 can vectorise where the CPU multiplies 64-bit lanes: AVX-512DQ), and the mask, which
     * looks up {@code {0, s}} by the comparison's sign bit (converting that bit to a float, or a branch, cost more).
     */
    private void forward32(NumericBuffer xb, NumericBuffer yb, long first, float s, int n, int from, int to) {
        float[] m = mask32;
        float[] w = work32;
        long[] d = draws;
        float[] keep = keep32;
        long th = threshold;
        int pairs = (to - from) >> 1;
        int d0 = from >> 1;  // this part's draws occupy d[d0, d0 + pairs): halves write disjoint ranges
        long z = streamSeed + (first + d0) * GOLDEN_GAMMA;
        for (int j = d0; j < d0 + pairs; j++) {
            d[j] = z;
            z += GOLDEN_GAMMA;
        }
        for (int j = d0; j < d0 + pairs; j++) {
            d[j] = mix64(d[j]);
        }
        xb.readRange(from, w, to - from);
        for (int j = d0, i = from; j < d0 + pairs; j++, i += 2) {
            long bits = d[j];
            // index 1 (keep) when u >= th: the sign bit of u - th (both < 2^32) is 0
            float m0 = keep[(int) (((bits >>> 32) - th) >>> 63) ^ 1];
            float m1 = keep[(int) (((bits & 0xffffffffL) - th) >>> 63) ^ 1];
            m[i] = m0;
            m[i + 1] = m1;
            w[i] *= m0;
            w[i + 1] *= m1;
        }
        int i = from + 2 * pairs;
        if (i < to) { // the last element of an odd-length batch: the high half of one more draw
            float m0 = (draw(first + (i >> 1)) >>> 32) >= th ? s : 0f;
            m[i] = m0;
            w[i] *= m0;
        }
        yb.writeRange(from, w, to - from);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (!active) {
            return gradOutput;
        }
        INDArray dx = scratch.get("dx", gradOutput.rows(), gradOutput.columns());
        NumericBuffer rb = NumericBuffer.of(gradOutput);
        NumericBuffer db = NumericBuffer.of(dx);
        int n = rb.length();
        if (rb.isFloat32()) {
            HelperThread.runHalves(n, SPLIT_MIN_ELEMENTS, Gemm.splitsAcrossHelper(), (from, to) -> {
                float[] w = work32;
                float[] m = mask32;
                rb.readRange(from, w, to - from);
                for (int k = from; k < to; k++) {
                    w[k] *= m[k];
                }
                db.writeRange(from, w, to - from);
            });
            return dx;
        }
        double[] w = work64;
        double[] m = mask64;
        rb.readFirst(w, n);
        for (int k = 0; k < n; k++) {
            w[k] *= m[k];
        }
        db.writeFirst(w, n);
        return dx;
    }
}
