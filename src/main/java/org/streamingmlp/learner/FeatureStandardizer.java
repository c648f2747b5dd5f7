package org.streamingmlp.learner;

/**
 * Online feature standardisation: running mean and variance of every feature over all training examples seen
 * (Welford's algorithm, in double precision). The first, non-trainable stage of the model when
 * {@link TrainingConfig#standardizeFeatures()} is on, owned by the {@link OnlineLearner} like BatchNorm's running
 * statistics: a {@link ModelSnapshot} carries the immutable {@link FeatureScaling} its parameters were trained
 * under, a {@link TrainingState} carries it into checkpoints, and restoring a model restores its scaling.
 */
final class FeatureStandardizer {

    private long count;
    private double[] mean;
    private double[] m2;

    FeatureStandardizer(int features) {
        this.mean = new double[features];
        this.m2 = new double[features];
    }

    void update(float[][] rows) {
        for (float[] row : rows) {
            count++;
            for (int j = 0; j < row.length; j++) {
                double delta = row[j] - mean[j];
                mean[j] += delta / count;
                m2[j] += delta * (row[j] - mean[j]);
            }
        }
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
