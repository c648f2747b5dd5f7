package org.streamingmlp.config;

import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * Turns the service's {@code mlp.*} settings into the learning core's configuration records.
 * The records check their own ranges and name the offending key, so a bad value fails startup here.
 */
public final class LearnerSettings {

    private LearnerSettings() {
    }

    public static TrainingConfig trainingConfig(ServiceConfig config) {
        ServiceConfig.Model model = config.model();
        ServiceConfig.Training training = config.training();
        MlpConfig mlp = new MlpConfig(model.inputSize(), model.hiddenSizes(), model.outputSize(),
                model.activation(), model.leakySlope(), model.dropout(), model.normalization());
        ServiceConfig.Optimizer o = config.optimizer();
        AdamWConfig adamW = new AdamWConfig(o.learningRate(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(),
                o.decayBiasesAndNorms());
        ServiceConfig.Schedule s = config.schedule();
        ScheduleConfig schedule = new ScheduleConfig(s.warmupSteps(), s.totalSteps(), s.minLearningRate(),
                s.warmRestarts());
        return new TrainingConfig(mlp, training.loss(), adamW, schedule, training.maxGradNorm(),
                training.seed(), DataType.FLOAT);
    }

    /** Checks the service-level settings that the core does not own. */
    public static void checkServiceSettings(ServiceConfig config) {
        ServiceConfig.Training t = config.training();
        requirePositive("mlp.training.batch-size", t.batchSize());
        requirePositive("mlp.training.queue-capacity", t.queueCapacity());
        requirePositive("mlp.training.snapshot-every-steps", t.snapshotEverySteps());
        requirePositive("mlp.training.validate-every-steps", t.validateEverySteps());
        requirePositive("mlp.training.validation-window", t.validationWindow());
        requirePositive("mlp.records.max-bytes", config.records().maxBytes());
        if (t.maxBatchWait().isNegative() || t.maxBatchWait().isZero()) {
            throw new IllegalArgumentException("mlp.training.max-batch-wait must be positive, got " + t.maxBatchWait());
        }
        if (config.metrics().interval().toMillis() < 100) {
            throw new IllegalArgumentException("mlp.metrics.interval must be at least 100ms, got " + config.metrics().interval());
        }
        if (t.queueCapacity() < t.batchSize()) {
            throw new IllegalArgumentException("mlp.training.queue-capacity (" + t.queueCapacity()
                    + ") must be at least mlp.training.batch-size (" + t.batchSize() + ")");
        }
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
