package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-entropy on logits {@code z [N,C]} with class indices {@code t}:
 * {@code L = mean_i(logsumexp(z_i) - z_i[t_i])}, {@code dL/dz = (softmax(z) - onehot(t))/N}.
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
        double total = 0;
        for (int i = 0; i < n; i++) {
            int base = i * c;
            int k = Loss.classIndex(t, i, c);
            double lse = Softmax.logSumExp(z, base, c);
            total += lse - z.get(base + k);
            if (g != null) {
                for (int j = 0; j < c; j++) {
                    double p = Math.exp(z.get(base + j) - lse);
                    g.set(base + j, (p - (j == k ? 1.0 : 0.0)) / n);
                }
            }
        }
        return total / n;
    }
}
