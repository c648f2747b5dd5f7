package org.streamingmlp.learner;

/**
 * Immutable per-feature standardisation {@code (x - mean) / sqrt(variance + 1e-8)} from running statistics
 * (Welford's count, mean and sum of squared deviations, so it can be resumed exactly). {@link #IDENTITY} leaves
 * features unchanged (standardisation off, or before the first example).
 */
public final class FeatureScaling {

    public static final FeatureScaling IDENTITY = new FeatureScaling(0, new double[0], new double[0]);
    private static final double EPS = 1e-8;

    private final long count;
    private final double[] mean;
    private final double[] m2;
    private final float[] floatMean;
    private final float[] invStd;

    public FeatureScaling(long count, double[] mean, double[] m2) {
        if (mean.length != m2.length || count < 0) {
            throw new IllegalArgumentException("feature scaling needs count >= 0 and as many means as m2 values");
        }
        this.count = count;
        this.mean = mean.clone();
        this.m2 = m2.clone();
        this.floatMean = new float[mean.length];
        this.invStd = new float[mean.length];
        for (int j = 0; j < mean.length; j++) {
            floatMean[j] = (float) mean[j];
            invStd[j] = (float) (1.0 / Math.sqrt(m2[j] / count + EPS));
        }
    }

    /** Standardised copies of the rows (the rows themselves unchanged); the rows as they are for identity. */
    public float[][] apply(float[][] features) {
        if (count == 0) {
            return features;
        }
        float[][] out = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            float[] row = features[i];
            float[] scaled = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                scaled[j] = (row[j] - floatMean[j]) * invStd[j];
            }
            out[i] = scaled;
        }
        return out;
    }

    /** Examples the statistics were computed from. */
    public long count() {
        return count;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** Sum of squared deviations from the mean (Welford's M2); variance is {@code m2 / count}. */
    public double[] sumOfSquaredDeviations() {
        return m2.clone();
    }
}
