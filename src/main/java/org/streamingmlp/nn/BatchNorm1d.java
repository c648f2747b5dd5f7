package org.streamingmlp.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation over the batch dimension of {@code [N, C]} input (PyTorch {@code BatchNorm1d}, eps 1e-5,
 * momentum 0.1, affine).
 * <pre>
 *   training: mu_c = mean_n x, var_c = mean_n (x - mu)^2 (biased), xhat = (x - mu)/sqrt(var + eps),
 *             y = xhat*weight + bias;
 *             running_mean = 0.9*running_mean + 0.1*mu, running_var = 0.9*running_var + 0.1*var*N/(N-1) (unbiased)
 *   eval:     y = (x - running_mean)/sqrt(running_var + eps)*weight + bias
 *   backward (training): db = sum_n R, dw = sum_n R*xhat,
 *             dx = weight/sqrt(var+eps) * (R - mean_n R - xhat*mean_n(R*xhat))
 *   backward (eval): dx = R*weight/sqrt(running_var+eps)
 * </pre>
 * Training mode needs at least 2 examples (the unbiased variance is undefined for one).
 */
public final class BatchNorm1d implements Layer {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final int features;
    private final NumericBuffer weight;
    private final NumericBuffer bias;
    private final NumericBuffer weightGrad;
    private final NumericBuffer biasGrad;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final ScratchArrays scratch;
    private final double[] invStd;
    private final double[] batchMean;
    private final double[] batchVar;
    private INDArray xhat;
    private boolean lastTraining;

    /** Declares {@code name.weight [C]} and {@code name.bias [C]}. */
    public static void declare(Parameters.Builder builder, String name, int features) {
        builder.add(name + ".weight", false, features);
        builder.add(name + ".bias", false, features);
    }

    public BatchNorm1d(Parameters parameters, String name, int features) {
        this.features = features;
        this.weight = parameters.values(name + ".weight");
        this.bias = parameters.values(name + ".bias");
        this.weightGrad = parameters.gradients(name + ".weight");
        this.biasGrad = parameters.gradients(name + ".bias");
        DataType type = parameters.dataType();
        this.runningMean = Nd4j.zeros(type, features);
        this.runningVar = Nd4j.ones(type, features);
        this.scratch = new ScratchArrays(type);
        this.invStd = new double[features];
        this.batchMean = new double[features];
        this.batchVar = new double[features];
    }

    /** Sets weight to 1 and bias to 0 (PyTorch default). */
    public void resetParameters() {
        weight.fill(1.0);
        bias.fill(0.0);
    }

    /** Running mean {@code [C]} (a live view; copy before keeping). */
    public NumericBuffer runningMean() {
        return NumericBuffer.of(runningMean);
    }

    /** Running (unbiased) variance {@code [C]} (a live view; copy before keeping). */
    public NumericBuffer runningVar() {
        return NumericBuffer.of(runningVar);
    }

    /** Mean of the latest training batch (a copy). */
    public double[] lastBatchMean() {
        return batchMean.clone();
    }

    /** Biased variance of the latest training batch (a copy). */
    public double[] lastBatchVariance() {
        return batchVar.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int n = (int) x.rows();
        int c = features;
        if (x.columns() != c) {
            throw new IllegalArgumentException("BatchNorm1d expects " + c + " features, got " + x.columns());
        }
        if (training && n < 2) {
            throw new IllegalArgumentException("BatchNorm1d needs at least 2 examples per training batch, got " + n);
        }
        lastTraining = training;
        NumericBuffer xb = NumericBuffer.of(x);
        xhat = scratch.get("xhat", n, c);
        INDArray y = scratch.get("y", n, c);
        NumericBuffer hb = NumericBuffer.of(xhat);
        NumericBuffer yb = NumericBuffer.of(y);
        NumericBuffer rm = runningMean();
        NumericBuffer rv = runningVar();
        double[] mean = new double[c];
        if (training) {
            double[] var = new double[c];
            for (int i = 0, k = 0; i < n; i++) {
                for (int j = 0; j < c; j++, k++) {
                    mean[j] += xb.get(k);
                }
            }
            for (int j = 0; j < c; j++) {
                mean[j] /= n;
            }
            for (int i = 0, k = 0; i < n; i++) {
                for (int j = 0; j < c; j++, k++) {
                    double d = xb.get(k) - mean[j];
                    var[j] += d * d;
                }
            }
            for (int j = 0; j < c; j++) {
                var[j] /= n;
                batchMean[j] = mean[j];
                batchVar[j] = var[j];
                invStd[j] = 1.0 / Math.sqrt(var[j] + EPS);
                rm.set(j, (1.0 - MOMENTUM) * rm.get(j) + MOMENTUM * mean[j]);
                rv.set(j, (1.0 - MOMENTUM) * rv.get(j) + MOMENTUM * var[j] * n / (n - 1.0));
            }
        } else {
            for (int j = 0; j < c; j++) {
                mean[j] = rm.get(j);
                invStd[j] = 1.0 / Math.sqrt(rv.get(j) + EPS);
            }
        }
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = 0; j < c; j++, k++) {
                double h = (xb.get(k) - mean[j]) * invStd[j];
                hb.set(k, h);
                yb.set(k, h * weight.get(j) + bias.get(j));
            }
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        int n = (int) gradOutput.rows();
        int c = features;
        NumericBuffer rb = NumericBuffer.of(gradOutput);
        NumericBuffer hb = NumericBuffer.of(xhat);
        double[] sumR = new double[c];
        double[] sumRh = new double[c];
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = 0; j < c; j++, k++) {
                double r = rb.get(k);
                sumR[j] += r;
                sumRh[j] += r * hb.get(k);
            }
        }
        for (int j = 0; j < c; j++) {
            biasGrad.set(j, sumR[j]);
            weightGrad.set(j, sumRh[j]);
        }
        INDArray dx = scratch.get("dx", n, c);
        NumericBuffer db = NumericBuffer.of(dx);
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = 0; j < c; j++, k++) {
                double scale = weight.get(j) * invStd[j];
                double r = rb.get(k);
                db.set(k, lastTraining ? scale * (r - sumR[j] / n - hb.get(k) * sumRh[j] / n) : scale * r);
            }
        }
        return dx;
    }
}
