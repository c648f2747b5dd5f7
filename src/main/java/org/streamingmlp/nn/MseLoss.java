package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean squared error: {@code L = mean((x - t)^2)}, {@code dL/dx = 2(x - t)/numel}. */
public final class MseLoss implements Loss {
    @Override
    public double compute(INDArray output, INDArray target, INDArray gradOutput) {
        Loss.requireSameShape(output, target);
        NumericBuffer x = NumericBuffer.of(output);
        NumericBuffer t = NumericBuffer.of(target);
        NumericBuffer g = gradOutput == null ? null : NumericBuffer.of(gradOutput);
        int n = x.length();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = x.get(i) - t.get(i);
            total += d * d;
            if (g != null) {
                g.set(i, 2.0 * d / n);
            }
        }
        return total / n;
    }
}
