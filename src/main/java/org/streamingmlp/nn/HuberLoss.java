package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Huber loss, mean over elements: {@code d = x - t}; {@code 0.5 d^2} if {@code |d| < delta} else
 * {@code delta(|d| - 0.5 delta)}; {@code dL/dx = clamp(d, -delta, delta)/numel}.
 */
public final class HuberLoss implements Loss {
    private final double delta;

    public HuberLoss(double delta) {
        if (!(delta > 0.0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber delta must be finite and > 0, got " + delta);
        }
        this.delta = delta;
    }

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
            double a = Math.abs(d);
            total += a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
            if (g != null) {
                g.set(i, Math.max(-delta, Math.min(delta, d)) / n);
            }
        }
        return total / n;
    }
}
