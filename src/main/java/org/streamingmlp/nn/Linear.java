package org.streamingmlp.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer, PyTorch layout: weight {@code W [out, in]}, bias {@code b [out]}.
 * <pre>
 *   forward:  y = x W^T + b
 *   backward: dW = R^T x,  db = sum_n R,  dx = R W
 * </pre>
 * One gemm per product, written into preallocated arrays.
 *
 * <p>Backward also sums the squares of the gradients it wrote ({@link #weightGradientSquares()},
 * {@link #biasGradientSquares()}), for the global gradient norm: read right after the product that wrote them, they
 * come from the cache instead of from memory after the whole backward pass. The weight gradient's sum is taken in two
 * row blocks cut where {@link Gemm} splits that product ({@link Gemm#alignedHalf}), so when the product was split
 * each thread sums the rows it wrote; the blocks and their order do not depend on the split, so neither does the sum.
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final INDArray weight;
    private final INDArray weightGrad;
    private final NumericBuffer bias;
    private final NumericBuffer biasGrad;
    /** The weight gradient's rows {@code [0, alignedHalf(out))} and the rest; top null when out is too small to cut. */
    private final NumericBuffer weightGradTop;
    private final NumericBuffer weightGradRest;
    private final double[] weightSquareParts = new double[2];
    private double weightSquares;
    private double biasSquares;
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
        NumericBuffer wg = parameters.gradients(name + ".weight");
        int top = Gemm.alignedHalf(out) * in;
        this.weightGradTop = top == 0 ? null : wg.window(0, top);
        this.weightGradRest = top == 0 ? wg : wg.window(top, out * in - top);
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

    /**
     * float32: bulk-copy y and the bias to the heap, add the bias to each row in one loop, bulk-copy back; a large
     * batch in two halves of rows, the second on the {@link HelperThread} when products are split.
     */
    private void addBias32(NumericBuffer yb, int n) {
        if (bias32.length != out) {
            bias32 = new float[out];
        }
        float[] b = bias32;
        bias.readFirst(b, out);
        float[] w = work(n * out);
        HelperThread.runHalves(n, Math.max(1, ActivationLayer.SPLIT_MIN_ELEMENTS / out), Gemm.splitsAcrossHelper(),
                (fromRow, toRow) -> {
                    int from = fromRow * out;
                    int len = (toRow - fromRow) * out;
                    yb.readRange(from, w, len);
                    for (int k = from; k < from + len; k += out) {
                        for (int j = 0; j < out; j++) {
                            w[k + j] += b[j];
                        }
                    }
                    yb.writeRange(from, w, len);
                });
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long n = gradOutput.rows();
        Gemm.gemm(gradOutput, input, weightGrad, true, false, 1.0, 0.0);
        weightSquares = sumWeightGradientSquares(gradOutput.dataType() == DataType.FLOAT, n);
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
        biasSquares = SumOfSquares.of(biasGrad);
        if (!computeInputGradient) {
            return null;
        }
        INDArray dx = scratch.get("dx", n, in);
        Gemm.gemm(gradOutput, weight, dx, false, false, 1.0, 0.0);
        return dx;
    }

    /**
     * {@code sum dW^2} as (rows of the top block) + (the rest): when the product was split, the helper sums the rows
     * it computed while this thread sums its own.
     */
    private double sumWeightGradientSquares(boolean float32, long n) {
        if (weightGradTop == null) {
            return SumOfSquares.of(weightGradRest);
        }
        double[] parts = weightSquareParts;
        if (Gemm.splitsTransposedProduct(float32, out, in, n)) {
            HelperThread.runBoth(() -> parts[0] = SumOfSquares.of(weightGradTop),
                    () -> parts[1] = SumOfSquares.of(weightGradRest));
        } else {
            parts[0] = SumOfSquares.of(weightGradTop);
            parts[1] = SumOfSquares.of(weightGradRest);
        }
        return parts[0] + parts[1];
    }

    /**
     * The first weight row ({@code [out, in]}) of the block that the helper thread computes when a weight-gradient
     * product is split ({@link Gemm#alignedHalf}); {@code out} when the weight is too small to cut.
     */
    public static int helperRowsFrom(int out) {
        int half = Gemm.alignedHalf(out);
        return half == 0 ? out : half;
    }

    /** {@code sum dW^2} over the weight gradient written by the latest {@link #backward}. */
    public double weightGradientSquares() {
        return weightSquares;
    }

    /** {@code sum db^2} over the bias gradient written by the latest {@link #backward}. */
    public double biasGradientSquares() {
        return biasSquares;
    }
}
