package org.streamingmlp.learner;

/**
 * Online feature standardisation: running mean and variance of every feature over all training examples seen
 * (Welford's algorithm, in double precision). The first, non-trainable stage of the model when
 * {@link TrainingConfig#standardizeFeatures()} is on, owned by the {@link OnlineLearner} like BatchNorm's running
 * statistics: a {@link ModelSnapshot} carries the immutable {@link FeatureScaling} its parameters were trained
 * under, a {@link TrainingState} carries it into checkpoints, and restoring a model restores its scaling.
 *
 * <p>A row with a non-finite value, or one whose update would make a statistic non-finite, is left out and counted
 * ({@link #ignoredRows()}): one such row would otherwise wreck the scaling for the model's lifetime, checkpoints
 * included. The count is a diagnostic of this process, not model state, so it is not checkpointed.
 */
final class FeatureStandardizer {

    private long count;
    private double[] mean;
    private double[] m2;
    private long ignored;

    FeatureStandardizer(int features) {
        this.mean = new double[features];
        this.m2 = new double[features];
    }

    void update(float[][] rows) {
        double[] nextMean = new double[mean.length];
        double[] nextM2 = new double[m2.length];
        for (float[] row : rows) {
            if (!welford(row, count + 1, nextMean, nextM2)) {
                ignored++;
                continue;
            }
            count++;
            System.arraycopy(nextMean, 0, mean, 0, mean.length);
            System.arraycopy(nextM2, 0, m2, 0, m2.length);
        }
    }

    /** Welford's step for {@code row} as the n-th example into the given arrays; false if any result is not finite. */
    private boolean welford(float[] row, long n, double[] nextMean, double[] nextM2) {
        for (int j = 0; j < row.length; j++) {
            double delta = row[j] - mean[j];
            nextMean[j] = mean[j] + delta / n;
            nextM2[j] = m2[j] + delta * (row[j] - nextMean[j]);
            if (!Double.isFinite(nextMean[j]) || !Double.isFinite(nextM2[j])) {
                return false;
            }
        }
        return true;
    }

    /** Rows left out of the statistics because they were not finite or would have made them non-finite. */
    long ignoredRows() {
        return ignored;
    }

    FeatureScaling scaling() {
        return count == 0 ? FeatureScaling.IDENTITY : new FeatureScaling(count, mean, m2);
    }

    void restore(FeatureScaling scaling) {
        if (scaling.count() == 0) {
            count = 0;
            java.util.Arrays.fill(mean, 0);
            java.util.Arrays.fill(m2, 0);
            return;
        }
        count = scaling.count();
        mean = scaling.mean();
        m2 = scaling.sumOfSquaredDeviations();
    }
}
