package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean absolute error: {@code L = mean(|x - t|)}, {@code dL/dx = sign(x - t)/numel} with {@code sign(0) = 0}. */
public final class L1Loss implements Loss {
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
            total += Math.abs(d);
            if (g != null) {
                g.set(i, Math.signum(d) / n);
            }
        }
        return total / n;
    }
}
