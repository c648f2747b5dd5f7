package org.streamingmlp.config;

import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.codec.ValueLimits;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.learner.ValidationMonitor;
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
                model.activation(), model.leakySlope(), model.dropout(), model.normalization(),
                SchemaSettings.categoricalFields(config));
        ServiceConfig.Optimizer o = config.optimizer();
        AdamWConfig adamW = new AdamWConfig(o.learningRate(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(),
                o.decayBiasesAndNorms());
        ServiceConfig.Schedule s = config.schedule();
        ScheduleConfig schedule = new ScheduleConfig(s.warmupSteps(), s.totalSteps(), s.minLearningRate(),
                s.warmRestarts(), s.kind());
        return new TrainingConfig(mlp, training.loss(), adamW, schedule, training.maxGradNorm(),
                training.seed(), DataType.FLOAT, training.standardizeFeatures());
    }

    /** The early-stopping and drift state machine the trainer consults after each validation evaluation. */
    public static ValidationMonitor validationMonitor(ServiceConfig config, LossKind loss) {
        ServiceConfig.EarlyStopping e = config.earlyStopping();
        if (e.monitor() == ValidationMonitor.Monitored.ACCURACY && !loss.classifies()) {
            throw new IllegalArgumentException("mlp.early-stopping.monitor=accuracy needs a classification loss "
                    + "(mlp.training.loss cross-entropy or focal), got " + loss);
        }
        ServiceConfig.Drift d = config.drift();
        return new ValidationMonitor(new EarlyStoppingConfig(e.patience(), e.minDelta(), e.mode()), e.monitor(),
                e.enabled(), new PageHinkley(d.delta(), d.threshold(), d.minEvaluations()));
    }

    /** Checks the service-level settings that the core does not own. */
    public static void checkServiceSettings(ServiceConfig config) {
        ServiceConfig.Training t = config.training();
        requirePositive("mlp.training.batch-size", t.batchSize());
        requirePositive("mlp.training.queue-capacity", t.queueCapacity());
        if (t.snapshotEverySteps() < 0) {
            throw new IllegalArgumentException("mlp.training.snapshot-every-steps must be 0 or positive, got "
                    + t.snapshotEverySteps());
        }
        requirePositive("mlp.training.validate-every-steps", t.validateEverySteps());
        requirePositive("mlp.training.validation-window", t.validationWindow());
        requirePositive("mlp.training.min-validation-examples", t.minValidationExamples());
        if (t.minValidationExamples() > t.validationWindow()) {
            throw new IllegalArgumentException("mlp.training.min-validation-examples (" + t.minValidationExamples()
                    + ") must not exceed mlp.training.validation-window (" + t.validationWindow() + ")");
        }
        requirePositive("mlp.records.max-bytes", config.records().maxBytes());
        valueLimits(config);
        requirePositive("mlp.predictions.max-requests-per-call", config.predictions().maxRequestsPerCall());
        requirePositive("mlp.training.max-consecutive-skipped", t.maxConsecutiveSkipped());
        requirePositive("mlp.checkpoint.keep", config.checkpoint().keep());
        requirePositive("mlp.checkpoint.every-steps", config.checkpoint().everySteps());
        if (config.checkpoint().interval().toMillis() < 1000) {
            throw new IllegalArgumentException("mlp.checkpoint.interval must be at least 1s, got "
                    + config.checkpoint().interval());
        }
        config.checkpoint().maxAge().ifPresent(age -> {
            if (age.compareTo(config.checkpoint().interval()) <= 0) {
                throw new IllegalArgumentException("mlp.checkpoint.max-age (" + age
                        + ") must be longer than mlp.checkpoint.interval (" + config.checkpoint().interval() + ")");
            }
        });
        if (t.snapshotInterval().isNegative()) {
            throw new IllegalArgumentException("mlp.training.snapshot-interval must not be negative, got "
                    + t.snapshotInterval());
        }
        if (t.maxBatchWait().isNegative() || t.maxBatchWait().isZero()) {
            throw new IllegalArgumentException("mlp.training.max-batch-wait must be positive, got " + t.maxBatchWait());
        }
        if (config.metrics().interval().toMillis() < 100) {
            throw new IllegalArgumentException("mlp.metrics.interval must be at least 100ms, got " + config.metrics().interval());
        }
        double fading = config.metrics().fadingFactor();
        if (!(fading > 0 && fading < 1)) {
            throw new IllegalArgumentException("mlp.metrics.fading-factor must be in (0, 1), got " + fading);
        }
        if (t.queueCapacity() < t.batchSize()) {
            throw new IllegalArgumentException("mlp.training.queue-capacity (" + t.queueCapacity()
                    + ") must be at least mlp.training.batch-size (" + t.batchSize() + ")");
        }
    }

    /** The bounds on record values; a bad one fails startup naming its key. */
    public static ValueLimits valueLimits(ServiceConfig config) {
        return new ValueLimits(config.records().maxFeatureMagnitude(), config.records().maxWeight());
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
