package org.streamingmlp.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1-p} and scaled by {@code 1/(1-p)},
 * so evaluation is the identity. {@code dx = R * mask} with the same mask.
 *
 * <p>Speed: one 64-bit draw of the {@link SplittableRandom} gives two 32-bit uniforms; element {@code i} is kept
 * when its uniform {@code u} (an unsigned 32-bit integer) satisfies {@code u >= round(p * 2^32)}, so the keep
 * probability is {@code 1-p} to within {@code 2^-32}. The mask is a heap array of {@code 0} or {@code 1/(1-p)};
 * the input is bulk-copied to the heap, multiplied in one loop and bulk-copied back.
 */
public final class Dropout implements Layer {
    private final double p;
    private final long threshold;
    private SplittableRandom random;
    private final ScratchArrays scratch;
    private float[] mask32 = new float[0];
    private double[] mask64 = new double[0];
    private float[] work32 = new float[0];
    private double[] work64 = new double[0];
    private boolean active;

    public Dropout(double p, SplittableRandom random, org.nd4j.linalg.api.buffer.DataType dataType) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("mlp.model.dropout must be in [0, 1), got " + p);
        }
        this.p = p;
        this.threshold = Math.round(p * 4294967296.0);
        this.random = random;
        this.scratch = new ScratchArrays(dataType);
    }

    /**
     * Starts a new random stream for the next masks. The model reseeds every dropout layer from (seed, step,
     * layer) before each training step, so the masks are a pure function of the step: a run resumed from a
     * checkpoint draws exactly the masks an uninterrupted run would, with no random state to save.
     */
    public void reseed(long streamSeed) {
        this.random = new SplittableRandom(streamSeed);
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
        if (xb.isFloat32()) {
            if (mask32.length < n) {
                mask32 = new float[n];
                work32 = new float[n];
            }
            float[] m = mask32;
            float s = (float) scale;
            long th = threshold;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                long bits = random.nextLong();
                // branch-free "u >= th ? s : 0": the sign of u - th (both < 2^32) decides
                m[i] = s * (float) (~((bits >>> 32) - th) >>> 63);
                m[i + 1] = s * (float) (~((bits & 0xffffffffL) - th) >>> 63);
            }
            if (i < n) {
                m[i] = (random.nextLong() >>> 32) >= th ? s : 0f;
            }
            float[] w = work32;
            xb.readFirst(w, n);
            for (int k = 0; k < n; k++) {
                w[k] *= m[k];
            }
            yb.writeFirst(w, n);
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
            long bits = random.nextLong();
            m[i] = (bits >>> 32) >= th ? scale : 0.0;
            m[i + 1] = (bits & 0xffffffffL) >= th ? scale : 0.0;
        }
        if (i < n) {
            m[i] = (random.nextLong() >>> 32) >= th ? scale : 0.0;
        }
        double[] w = work64;
        xb.readFirst(w, n);
        for (int k = 0; k < n; k++) {
            w[k] *= m[k];
        }
        yb.writeFirst(w, n);
        return y;
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
            float[] w = work32;
            float[] m = mask32;
            rb.readFirst(w, n);
            for (int k = 0; k < n; k++) {
                w[k] *= m[k];
            }
            db.writeFirst(w, n);
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
