package org.streamingmlp.api;

import java.util.Map;

import org.streamingmlp.learner.FeatureScaling;
import org.streamingmlp.learner.ModelSnapshot;

/**
 * Whether the published model's numbers are sound: every parameter and running statistic finite, and the feature
 * standardisation's mean and spread finite. Hostile input must never make them otherwise (README, Hostile input);
 * an operator (and the fuzz test) reads it on {@code GET /model}.
 *
 * @param parametersFinite      every parameter and running statistic (BatchNorm) is a finite number
 * @param maxAbsParameter       the largest parameter magnitude
 * @param standardizationFinite the standardisation statistics are finite (true when standardisation is off)
 * @param standardizationCount  training examples the standardisation statistics come from (0 when off)
 */
public record ModelNumerics(boolean parametersFinite, double maxAbsParameter, boolean standardizationFinite,
                            long standardizationCount) {

    static ModelNumerics of(ModelSnapshot snapshot) {
        double max = snapshot.maxAbsParameter();
        boolean finite = !Double.isNaN(max);
        for (Map.Entry<String, double[]> buffer : snapshot.buffers().entrySet()) {
            for (double v : buffer.getValue()) {
                finite &= Double.isFinite(v);
            }
        }
        FeatureScaling scaling = snapshot.featureScaling();
        return new ModelNumerics(finite, max, allFinite(scaling.mean()) && allFinite(scaling.sumOfSquaredDeviations()),
                scaling.count());
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
