package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Focal loss on logits {@code z [N,C]} with class indices {@code t}, averaged over the batch:
 * {@code p_i = softmax(z_i)[t_i]}, {@code L = mean_i(-(1-p_i)^gamma * log p_i)}.
 * With {@code l = log p}: {@code dL_i/dl = -(1-p)^gamma + gamma*(1-p)^(gamma-1)*p*l} and
 * {@code dl/dz_j = onehot_j - softmax_j}, so {@code dL/dz_ij = dL_i/dl * (onehot_j - s_j) / N}.
 * As in {@link CrossEntropyLoss}, each logit is exponentiated once: {@code s_j = exp(z_j - max) / sum}.
 */
public final class FocalLoss implements Loss {
    private final double gamma;

    public FocalLoss(double gamma) {
        if (!(gamma >= 0.0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("focal gamma must be finite and >= 0, got " + gamma);
        }
        this.gamma = gamma;
    }

    @Override
    public double compute(INDArray output, INDArray target, INDArray gradOutput) {
        int n = (int) output.rows();
        int c = (int) output.columns();
        Loss.requireLength(target, n);
        NumericBuffer z = NumericBuffer.of(output);
        NumericBuffer t = NumericBuffer.of(target);
        NumericBuffer g = gradOutput == null ? null : NumericBuffer.of(gradOutput);
        double[] row = new double[c]; // per call, not per instance: a Loss holds no state
        double total = 0;
        for (int i = 0; i < n; i++) {
            int base = i * c;
            int k = Loss.classIndex(t, i, c);
            z.read(base, row);
            double zk = row[k];
            double max = Softmax.rowMax(row, 0, c);
            double sum = Softmax.exponentiate(row, 0, c, max); // row now holds e_j = exp(z_j - max)
            double lse = max + Math.log(sum);
            double logp = zk - lse;
            double p = Math.exp(logp);
            double q = 1.0 - p;
            total += -Math.pow(q, gamma) * logp;
            if (g != null) {
                double dl = -Math.pow(q, gamma) + (gamma == 0.0 || logp == 0.0 ? 0.0 : gamma * Math.pow(q, gamma - 1.0) * p * logp);
                for (int j = 0; j < c; j++) {
                    row[j] = dl * ((j == k ? 1.0 : 0.0) - row[j] / sum) / n;
                }
                g.write(base, row);
            }
        }
        return total / n;
    }
}
