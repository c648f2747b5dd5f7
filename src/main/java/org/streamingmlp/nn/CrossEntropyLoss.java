package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-entropy on logits {@code z [N,C]} with class indices {@code t}:
 * {@code L = mean_i(logsumexp(z_i) - z_i[t_i])}, {@code dL/dz = (softmax(z) - onehot(t))/N}.
 *
 * <p>Each row is copied to the heap once and exponentiated once, {@code e_j = exp(z_j - max)}: the loss takes
 * {@code logsumexp = max + log(sum e)} and the gradient {@code softmax_j = e_j / sum e}, so a logit costs one
 * {@code exp} (the loss's largest cost), not one for the loss and another for the gradient.
 */
public final class CrossEntropyLoss implements Loss {
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
            total += (max + Math.log(sum)) - zk;
            if (g != null) {
                for (int j = 0; j < c; j++) {
                    row[j] = (row[j] / sum - (j == k ? 1.0 : 0.0)) / n;
                }
                g.write(base, row);
            }
        }
        return total / n;
    }
}
