package org.streamingmlp.optim;

import java.util.List;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.SumOfSquares;

/**
 * Global-norm gradient clipping ({@code torch.nn.utils.clip_grad_norm_}, L2):
 * {@code total = sqrt(sum of g^2 over all elements of all tensors)}, {@code coef = min(max/(total + 1e-6), 1)},
 * every gradient is multiplied by {@code coef}. Returns {@code total} measured before clipping. A non-finite total
 * leaves the gradients untouched (the caller skips the update).
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Clips one flat buffer in place; returns the norm before clipping. */
    public static double clipGlobalNorm(NumericBuffer grads, double maxNorm) {
        return clipGlobalNorm(List.of(grads), maxNorm);
    }

    /** Clips several tensors jointly, in place; returns the norm before clipping. */
    public static double clipGlobalNorm(List<NumericBuffer> grads, double maxNorm) {
        double total = globalNorm(grads);
        if (!Double.isFinite(total)) {
            return total;
        }
        double coef = coefficient(total, maxNorm);
        if (coef < 1.0) {
            for (NumericBuffer g : grads) {
                for (int i = 0, n = g.length(); i < n; i++) {
                    g.set(i, g.get(i) * coef);
                }
            }
        }
        return total;
    }

    /** {@code coef = min(maxNorm / (totalNorm + 1e-6), 1)}. */
    public static double coefficient(double totalNorm, double maxNorm) {
        return Math.min(maxNorm / (totalNorm + 1e-6), 1.0);
    }

    /** {@code sqrt(sum g^2)} over all elements, accumulated in float64. */
    public static double globalNorm(List<NumericBuffer> grads) {
        double sum = 0;
        for (NumericBuffer g : grads) {
            sum += sumOfSquares(g);
        }
        return Math.sqrt(sum);
    }

    /** {@code sqrt(sum g^2)} of one flat buffer. */
    public static double globalNorm(NumericBuffer grads) {
        return Math.sqrt(sumOfSquares(grads));
    }

    /** The sum of squares of one buffer ({@link SumOfSquares}: float64, an order fixed by the length). */
    private static double sumOfSquares(NumericBuffer g) {
        return SumOfSquares.of(g);
    }
}
