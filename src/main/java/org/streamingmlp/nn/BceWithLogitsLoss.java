package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary cross-entropy on logits {@code z} with targets {@code y} in [0, 1], mean over all elements:
 * {@code L = mean(max(z,0) - z*y + log(1 + exp(-|z|)))}, {@code dL/dz = (sigmoid(z) - y)/numel}.
 */
public final class BceWithLogitsLoss implements Loss {
    @Override
    public double compute(INDArray output, INDArray target, INDArray gradOutput) {
        Loss.requireSameShape(output, target);
        NumericBuffer z = NumericBuffer.of(output);
        NumericBuffer y = NumericBuffer.of(target);
        NumericBuffer g = gradOutput == null ? null : NumericBuffer.of(gradOutput);
        int n = z.length();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double zi = z.get(i);
            double yi = y.get(i);
            total += Math.max(zi, 0.0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi)));
            if (g != null) {
                g.set(i, (Activation.sigmoid(zi) - yi) / n);
            }
        }
        return total / n;
    }
}
