package org.streamingmlp.trainer;

import org.streamingmlp.learner.ModelSnapshot;

/**
 * What answers predictions: an immutable model snapshot and the feature scaling it was trained under
 * ({@link FeatureScaling#IDENTITY} when standardisation is off). Thread-safe.
 */
public record ServingModel(ModelSnapshot model, FeatureScaling scaling) {

    public long version() {
        return model.version();
    }

    public long step() {
        return model.step();
    }

    /** Outputs for raw (unscaled) feature rows. */
    public float[][] predict(float[][] features) {
        return model.predict(scaling.apply(features));
    }

    /** Outputs for raw numeric feature rows and their category indices (not scaled; null without a schema). */
    public float[][] predict(float[][] features, int[][] categories) {
        return model.predict(scaling.apply(features), categories);
    }
}
