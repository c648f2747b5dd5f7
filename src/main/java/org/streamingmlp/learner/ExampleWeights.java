package org.streamingmlp.learner;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.NumericBuffer;

/**
 * Per-example weights of a mini-batch: the step then minimises the weighted mean
 * <pre>
 *   L_w = sum_i w_i l_i / sum_i w_i
 * </pre>
 * instead of the plain mean {@code (1/N) sum_i l_i}. The losses compute the mean-reduced gradient, whose row i is
 * {@code (1/N) dl_i/do_i}; multiplying that row by {@code w_i N / sum(w)} gives {@code w_i / sum(w) dl_i/do_i}, the
 * gradient of {@code L_w}. This holds for every loss whose row i depends only on example i, i.e. all but
 * CONTRASTIVE (its pairs couple the rows), which rejects weights other than 1.
 */
final class ExampleWeights {

    private ExampleWeights() {
    }

    /**
     * Checks {@code weights} (one per example, finite, >= 0, positive sum; all 1 for CONTRASTIVE) and returns the
     * row factors {@code w_i N / sum(w)}.
     */
    static double[] rowFactors(float[] weights, int n, LossKind loss) {
        if (weights.length != n) {
            throw new IllegalArgumentException("expected " + n + " weights, got " + weights.length);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float w = weights[i];
            if (!Float.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, got " + w);
            }
            if (loss == LossKind.CONTRASTIVE && w != 1f) {
                throw new IllegalArgumentException("the CONTRASTIVE loss couples examples in pairs and takes no "
                        + "per-example weights; weights[" + i + "] is " + w);
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights must have a positive sum: the weighted mean is undefined");
        }
        double[] factors = new double[n];
        for (int i = 0; i < n; i++) {
            factors[i] = weights[i] * n / sum;
        }
        return factors;
    }

    /** Multiplies row i of {@code gradOutput [N, K]} by {@code factors[i]}. */
    static void scaleRows(INDArray gradOutput, double[] factors) {
        NumericBuffer g = NumericBuffer.of(gradOutput);
        int k = (int) gradOutput.columns();
        for (int i = 0; i < factors.length; i++) {
            for (int j = 0; j < k; j++) {
                g.set(i * k + j, g.get(i * k + j) * factors[i]);
            }
        }
    }
}
