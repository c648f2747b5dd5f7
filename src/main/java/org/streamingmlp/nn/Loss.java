package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A scalar training objective with reduction "mean". Class-index losses take {@code target} as {@code [N]} (or
 * {@code [N,1]}) class indices stored as numbers; value losses take {@code target} shaped like {@code output}.
 */
public interface Loss {

    /**
     * Returns the loss of {@code output [N, K]} against {@code target}; when {@code gradOutput} (same shape as output)
     * is not null, writes dLoss/dOutput into it.
     */
    double compute(INDArray output, INDArray target, INDArray gradOutput);

    /** Reads class index {@code i}, checking it is an integer in {@code [0, classes)}. */
    static int classIndex(NumericBuffer target, int i, int classes) {
        double v = target.get(i);
        int k = (int) v;
        if (k != v || k < 0 || k >= classes) {
            throw new IllegalArgumentException("class index must be an integer in [0, " + classes + "), got " + v);
        }
        return k;
    }

    /** Checks the target has {@code n} entries (class losses). */
    static void requireLength(INDArray target, long n) {
        if (target.length() != n) {
            throw new IllegalArgumentException("expected " + n + " targets, got " + target.length());
        }
    }

    /** Checks target and output have the same shape (value losses). */
    static void requireSameShape(INDArray output, INDArray target) {
        if (output.rows() != target.rows() || output.length() != target.length()) {
            throw new IllegalArgumentException("target shape " + java.util.Arrays.toString(target.shape())
                    + " does not match output shape " + java.util.Arrays.toString(output.shape()));
        }
    }
}
