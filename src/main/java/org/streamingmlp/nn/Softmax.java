package org.streamingmlp.nn;

/**
 * Row-wise softmax of a {@code [rows, cols]} matrix, computed as {@code exp(x - rowmax) / sum}; backward of
 * {@code L = sum(y*R)} is {@code y * (R - sum_k y_k R_k)} per row.
 */
public final class Softmax {
    private Softmax() {
    }

    /** Writes softmax(x) into y (may be the same buffer). */
    public static void forward(NumericBuffer x, NumericBuffer y, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x.get(base + j));
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(x.get(base + j) - max);
                y.set(base + j, e);
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                y.set(base + j, y.get(base + j) / sum);
            }
        }
    }

    /** Writes dx = y*(R - sum(y*R)) given the softmax output y and upstream gradient R. */
    public static void backward(NumericBuffer y, NumericBuffer r, NumericBuffer dx, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += y.get(base + j) * r.get(base + j);
            }
            for (int j = 0; j < cols; j++) {
                dx.set(base + j, y.get(base + j) * (r.get(base + j) - dot));
            }
        }
    }

    /** The largest of {@code x[from, from + length)} (NaN if any is NaN, as {@code Math.max} propagates it). */
    static double rowMax(double[] x, int from, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + length; j++) {
            max = Math.max(max, x[j]);
        }
        return max;
    }

    /**
     * Replaces {@code x[from, from + length)} by {@code e_j = exp(x_j - max)} and returns {@code sum_j e_j}: one
     * {@code exp} per element gives both {@code logsumexp = max + log(sum)} and {@code softmax_j = e_j / sum}
     * (with {@code max} the row's largest, {@link #rowMax}, every {@code e_j <= 1} and the sum cannot overflow).
     */
    static double exponentiate(double[] x, int from, int length, double max) {
        double sum = 0;
        for (int j = from; j < from + length; j++) {
            double e = Math.exp(x[j] - max);
            x[j] = e;
            sum += e;
        }
        return sum;
    }
}
