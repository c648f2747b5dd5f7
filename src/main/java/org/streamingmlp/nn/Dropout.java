package org.streamingmlp.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1-p} and scaled by {@code 1/(1-p)},
 * so evaluation is the identity. {@code dx = R * mask} with the same mask.
 */
public final class Dropout implements Layer {
    private final double p;
    private final SplittableRandom random;
    private final ScratchArrays scratch;
    private double[] mask = new double[0];
    private boolean active;

    public Dropout(double p, SplittableRandom random, org.nd4j.linalg.api.buffer.DataType dataType) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("mlp.model.dropout must be in [0, 1), got " + p);
        }
        this.p = p;
        this.random = random;
        this.scratch = new ScratchArrays(dataType);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        active = training && p > 0.0;
        if (!active) {
            return x;
        }
        int n = (int) x.length();
        if (mask.length < n) {
            mask = new double[n];
        }
        double scale = 1.0 / (1.0 - p);
        INDArray y = scratch.get("y", x.rows(), x.columns());
        NumericBuffer xb = NumericBuffer.of(x);
        NumericBuffer yb = NumericBuffer.of(y);
        for (int i = 0; i < n; i++) {
            double m = random.nextDouble() >= p ? scale : 0.0;
            mask[i] = m;
            yb.set(i, xb.get(i) * m);
        }
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
        for (int i = 0, n = rb.length(); i < n; i++) {
            db.set(i, rb.get(i) * mask[i]);
        }
        return dx;
    }
}
