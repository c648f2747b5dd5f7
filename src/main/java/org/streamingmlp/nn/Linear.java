package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer, PyTorch layout: weight {@code W [out, in]}, bias {@code b [out]}.
 * <pre>
 *   forward:  y = x W^T + b
 *   backward: dW = R^T x,  db = sum_n R,  dx = R W
 * </pre>
 * One gemm per product, written into preallocated arrays.
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final INDArray weight;
    private final INDArray weightGrad;
    private final NumericBuffer bias;
    private final NumericBuffer biasGrad;
    private final boolean computeInputGradient;
    private final ScratchArrays scratch;
    /** The forward pass's native views (input, weight, output): made once per array, not per call. */
    private final ArrayViews views = new ArrayViews();
    private INDArray input;
    private float[] work32 = new float[0];
    private float[] bias32 = new float[0];
    private double[] sums = new double[0];

    /** Declares {@code name.weight [out,in]} and {@code name.bias [out]}. */
    public static void declare(Parameters.Builder builder, String name, int in, int out) {
        builder.add(name + ".weight", true, out, in);
        builder.add(name + ".bias", false, out);
    }

    /** Binds to parameters declared with {@link #declare}; the first layer of a network needs no input gradient. */
    public Linear(Parameters parameters, String name, int in, int out, boolean computeInputGradient) {
        this.in = in;
        this.out = out;
        this.weight = parameters.valueView(name + ".weight");
        this.weightGrad = parameters.gradientView(name + ".weight");
        this.bias = parameters.values(name + ".bias");
        this.biasGrad = parameters.gradients(name + ".bias");
        this.computeInputGradient = computeInputGradient;
        this.scratch = new ScratchArrays(parameters.dataType());
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        long n = x.rows();
        if (x.columns() != in) {
            throw new IllegalArgumentException("Linear expects " + in + " input features, got " + x.columns());
        }
        input = x;
        INDArray y = scratch.get("y", n, out);
        Gemm.gemm(x, weight, y, false, true, 1.0, 0.0, views);
        NumericBuffer yb = views.buffer(y);
        if (yb.isFloat32()) {
            addBias32(yb, (int) n);
            return y;
        }
        for (int r = 0, k = 0; r < n; r++) {
            for (int j = 0; j < out; j++, k++) {
                yb.set(k, yb.get(k) + bias.get(j));
            }
        }
        return y;
    }

    private float[] work(int len) {
        if (work32.length < len) {
            work32 = new float[len];
        }
        return work32;
    }

    /** float32: bulk-copy y and the bias to the heap, add the bias to each row in one loop, bulk-copy back. */
    private void addBias32(NumericBuffer yb, int n) {
        if (bias32.length != out) {
            bias32 = new float[out];
        }
        float[] b = bias32;
        bias.readFirst(b, out);
        int len = n * out;
        float[] w = work(len);
        yb.readFirst(w, len);
        for (int r = 0, k = 0; r < n; r++, k += out) {
            for (int j = 0; j < out; j++) {
                w[k + j] += b[j];
            }
        }
        yb.writeFirst(w, len);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long n = gradOutput.rows();
        Gemm.gemm(gradOutput, input, weightGrad, true, false, 1.0, 0.0);
        NumericBuffer r = NumericBuffer.of(gradOutput);
        if (sums.length != out) {
            sums = new double[out];
        }
        java.util.Arrays.fill(sums, 0.0);
        if (r.isFloat32()) {
            int len = (int) n * out;
            float[] w = work(len);
            r.readFirst(w, len);
            for (int i = 0, k = 0; i < n; i++, k += out) {
                for (int j = 0; j < out; j++) {
                    sums[j] += w[k + j];
                }
            }
        } else {
            for (int i = 0, k = 0; i < n; i++) {
                for (int j = 0; j < out; j++, k++) {
                    sums[j] += r.get(k);
                }
            }
        }
        for (int j = 0; j < out; j++) {
            biasGrad.set(j, sums[j]);
        }
        if (!computeInputGradient) {
            return null;
        }
        INDArray dx = scratch.get("dx", n, in);
        Gemm.gemm(gradOutput, weight, dx, false, false, 1.0, 0.0);
        return dx;
    }
}
