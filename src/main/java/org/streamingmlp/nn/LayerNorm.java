package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation of each row of {@code [N, D]} input (PyTorch {@code LayerNorm(D)}, eps 1e-5, affine).
 * <pre>
 *   mu_n = mean_d x, var_n = mean_d (x - mu)^2 (biased), xhat = (x - mu)/sqrt(var + eps), y = xhat*weight + bias
 *   backward: db = sum_n R, dw = sum_n R*xhat, G = R*weight,
 *             dx = 1/sqrt(var+eps) * (G - mean_d G - xhat*mean_d(G*xhat))
 * </pre>
 * A constant row has variance 0, so xhat = 0 and y = bias. Training and evaluation are identical.
 */
public final class LayerNorm implements Layer {
    public static final double EPS = 1e-5;

    private final int features;
    private final NumericBuffer weight;
    private final NumericBuffer bias;
    private final NumericBuffer weightGrad;
    private final NumericBuffer biasGrad;
    private final ScratchArrays scratch;
    private double[] invStd = new double[0];
    private INDArray xhat;

    /** Declares {@code name.weight [D]} and {@code name.bias [D]}. */
    public static void declare(Parameters.Builder builder, String name, int features) {
        builder.add(name + ".weight", false, features);
        builder.add(name + ".bias", false, features);
    }

    public LayerNorm(Parameters parameters, String name, int features) {
        this.features = features;
        this.weight = parameters.values(name + ".weight");
        this.bias = parameters.values(name + ".bias");
        this.weightGrad = parameters.gradients(name + ".weight");
        this.biasGrad = parameters.gradients(name + ".bias");
        this.scratch = new ScratchArrays(parameters.dataType());
    }

    /** Sets weight to 1 and bias to 0 (PyTorch default). */
    public void resetParameters() {
        weight.fill(1.0);
        bias.fill(0.0);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int n = (int) x.rows();
        int d = features;
        if (x.columns() != d) {
            throw new IllegalArgumentException("LayerNorm expects " + d + " features, got " + x.columns());
        }
        if (invStd.length < n) {
            invStd = new double[n];
        }
        NumericBuffer xb = NumericBuffer.of(x);
        xhat = scratch.get("xhat", n, d);
        INDArray y = scratch.get("y", n, d);
        NumericBuffer hb = NumericBuffer.of(xhat);
        NumericBuffer yb = NumericBuffer.of(y);
        for (int i = 0; i < n; i++) {
            int base = i * d;
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += xb.get(base + j);
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                double t = xb.get(base + j) - mean;
                var += t * t;
            }
            var /= d;
            double s = 1.0 / Math.sqrt(var + EPS);
            invStd[i] = s;
            for (int j = 0; j < d; j++) {
                double h = (xb.get(base + j) - mean) * s;
                hb.set(base + j, h);
                yb.set(base + j, h * weight.get(j) + bias.get(j));
            }
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        int n = (int) gradOutput.rows();
        int d = features;
        NumericBuffer rb = NumericBuffer.of(gradOutput);
        NumericBuffer hb = NumericBuffer.of(xhat);
        INDArray dx = scratch.get("dx", n, d);
        NumericBuffer db = NumericBuffer.of(dx);
        double[] sumR = new double[d];
        double[] sumRh = new double[d];
        for (int i = 0; i < n; i++) {
            int base = i * d;
            double meanG = 0;
            double meanGh = 0;
            for (int j = 0; j < d; j++) {
                double r = rb.get(base + j);
                double h = hb.get(base + j);
                sumR[j] += r;
                sumRh[j] += r * h;
                double g = r * weight.get(j);
                meanG += g;
                meanGh += g * h;
            }
            meanG /= d;
            meanGh /= d;
            for (int j = 0; j < d; j++) {
                double g = rb.get(base + j) * weight.get(j);
                db.set(base + j, invStd[i] * (g - meanG - hb.get(base + j) * meanGh));
            }
        }
        for (int j = 0; j < d; j++) {
            biasGrad.set(j, sumR[j]);
            weightGrad.set(j, sumRh[j]);
        }
        return dx;
    }
}
