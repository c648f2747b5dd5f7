package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Applies an {@link Activation} element-wise: {@code y = f(x)}, {@code dx = R * f'(x)}. */
public final class ActivationLayer implements Layer {
    private final Activation activation;
    private final double slope;
    private final ScratchArrays scratch;
    private INDArray input;

    public ActivationLayer(Activation activation, double slope, org.nd4j.linalg.api.buffer.DataType dataType) {
        this.activation = activation;
        this.slope = slope;
        this.scratch = new ScratchArrays(dataType);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        input = x;
        INDArray y = scratch.get("y", x.rows(), x.columns());
        NumericBuffer xb = NumericBuffer.of(x);
        NumericBuffer yb = NumericBuffer.of(y);
        for (int i = 0, n = xb.length(); i < n; i++) {
            yb.set(i, activation.apply(xb.get(i), slope));
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray dx = scratch.get("dx", gradOutput.rows(), gradOutput.columns());
        NumericBuffer xb = NumericBuffer.of(input);
        NumericBuffer rb = NumericBuffer.of(gradOutput);
        NumericBuffer db = NumericBuffer.of(dx);
        for (int i = 0, n = xb.length(); i < n; i++) {
            db.set(i, rb.get(i) * activation.derivative(xb.get(i), slope));
        }
        return dx;
    }
}
