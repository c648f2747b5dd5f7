package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pairwise contrastive loss on embeddings {@code e [N,D]} with labels, over all {@code N*N} ordered pairs
 * (diagonal included): {@code dist_ij = ||e_i - e_j||}, {@code same_ij = label_i == label_j},
 * {@code L = mean_ij(same*dist + (1-same)*max(margin - dist, 0))}.
 * With {@code c_ij = same ? 1 : (margin - dist > 0 ? -1 : 0)} and the pair counted from both ends:
 * {@code dL/de_i = 2/N^2 * sum_j c_ij (e_i - e_j)/dist_ij}; the derivative of {@code dist} at 0 (the diagonal,
 * or duplicate embeddings) is taken as 0.
 */
public final class ContrastiveLoss implements Loss {
    private final double margin;

    public ContrastiveLoss(double margin) {
        if (!(margin > 0.0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("contrastive margin must be finite and > 0, got " + margin);
        }
        this.margin = margin;
    }

    @Override
    public double compute(INDArray output, INDArray target, INDArray gradOutput) {
        int n = (int) output.rows();
        int d = (int) output.columns();
        Loss.requireLength(target, n);
        NumericBuffer e = NumericBuffer.of(output);
        NumericBuffer t = NumericBuffer.of(target);
        NumericBuffer g = gradOutput == null ? null : NumericBuffer.of(gradOutput);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = t.get(i);
        }
        if (g != null) {
            g.fill(0.0);
        }
        double total = 0;
        double scale = 2.0 / ((double) n * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double diff = e.get(i * d + k) - e.get(j * d + k);
                    sq += diff * diff;
                }
                double dist = Math.sqrt(sq);
                boolean same = labels[i] == labels[j];
                double c;
                if (same) {
                    total += dist;
                    c = 1.0;
                } else {
                    double hinge = margin - dist;
                    total += Math.max(hinge, 0.0);
                    c = hinge > 0 ? -1.0 : 0.0;
                }
                if (g != null && dist > 0 && c != 0.0) {
                    for (int k = 0; k < d; k++) {
                        double diff = e.get(i * d + k) - e.get(j * d + k);
                        g.set(i * d + k, g.get(i * d + k) + scale * c * diff / dist);
                    }
                }
            }
        }
        return total / ((double) n * n);
    }
}
