package org.streamingmlp.learner;

import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * Everything the {@link OnlineLearner} needs.
 *
 * @param model       architecture (mlp.model.*)
 * @param loss        objective (mlp.training.loss), default CROSS_ENTROPY; CROSS_ENTROPY and FOCAL need >= 2 outputs
 * @param optimizer   AdamW settings (mlp.optimizer.*)
 * @param schedule    learning-rate schedule (mlp.schedule.*); its min-learning-rate must not exceed the learning rate
 * @param maxGradNorm global-norm clipping threshold (mlp.training.max-grad-norm), finite and > 0, default 1.0
 * @param seed        seed of initialisation and dropout (mlp.training.seed), default 42
 * @param dataType    FLOAT (default) or DOUBLE (mlp.training.data-type)
 * @param standardizeFeatures the model's first stage standardises every numeric feature by its running mean and
 *                    standard deviation over the training examples learned (mlp.training.standardize-features);
 *                    non-trainable state of the model, like BatchNorm's running statistics
 */
public record TrainingConfig(MlpConfig model, LossKind loss, AdamWConfig optimizer, ScheduleConfig schedule,
                             double maxGradNorm, long seed, DataType dataType, boolean standardizeFeatures) {

    /** Without feature standardisation. */
    public TrainingConfig(MlpConfig model, LossKind loss, AdamWConfig optimizer, ScheduleConfig schedule,
                          double maxGradNorm, long seed, DataType dataType) {
        this(model, loss, optimizer, schedule, maxGradNorm, seed, dataType, false);
    }

    public TrainingConfig {
        if (model == null) {
            throw new IllegalArgumentException("mlp.model must not be null");
        }
        if (loss == null) {
            throw new IllegalArgumentException("mlp.training.loss must not be null");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("mlp.optimizer must not be null");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("mlp.schedule must not be null");
        }
        if (!(maxGradNorm > 0.0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("mlp.training.max-grad-norm must be finite and > 0, got " + maxGradNorm);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("mlp.training.data-type must be FLOAT or DOUBLE, got " + dataType);
        }
        if (schedule.minLearningRate() > optimizer.learningRate()) {
            throw new IllegalArgumentException("mlp.schedule.min-learning-rate (" + schedule.minLearningRate()
                    + ") must not exceed mlp.optimizer.learning-rate (" + optimizer.learningRate() + ")");
        }
        if (loss.classifies() && model.outputSize() < 2) {
            throw new IllegalArgumentException("mlp.model.output-size must be >= 2 for " + loss + ", got "
                    + model.outputSize());
        }
    }

    /** The same configuration with feature standardisation on or off. */
    public TrainingConfig withStandardizedFeatures(boolean on) {
        return new TrainingConfig(model, loss, optimizer, schedule, maxGradNorm, seed, dataType, on);
    }

    /** Cross-entropy, AdamW defaults, schedule defaults, clipping at 1.0, seed 42, float32. */
    public static TrainingConfig defaults(MlpConfig model) {
        return new TrainingConfig(model, LossKind.CROSS_ENTROPY, AdamWConfig.defaults(), ScheduleConfig.defaults(),
                1.0, 42L, DataType.FLOAT);
    }
}
