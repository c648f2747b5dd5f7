package org.streamingmlp.wiring;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import io.quarkus.arc.All;

import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.codec.RecordRules;
import org.streamingmlp.codec.RecordSchema;
import org.streamingmlp.config.LearnerSettings;
import org.streamingmlp.config.SchemaSettings;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.ingest.ExampleIngest;
import org.streamingmlp.ingest.OffsetRanges;
import org.streamingmlp.ingest.ResumePositions;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.serving.PredictionService;
import org.streamingmlp.serving.SnapshotRegistry;
import org.streamingmlp.trainer.Checkpointer;
import org.streamingmlp.trainer.Evaluator;
import org.streamingmlp.trainer.StreamPositions;
import org.streamingmlp.trainer.Trainer;
import org.streamingmlp.trainer.TrainingInbox;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingStatistics;
import org.streamingmlp.trainer.ValidationWindow;
import org.streamingmlp.trainer.VersionedModel;

/**
 * The composition root: every part of the two flows is made here, once, from the typed configuration, and reaches
 * the edges by injection. Order is what the injection points say: in a process that trains, the serving side gets
 * the {@link SnapshotRegistry} from the {@link VersionedModel}, which publishes the first version when it is made,
 * so no prediction can arrive before a model exists (a predictor's registry is filled from the model topic); a bad setting or an incompatible checkpoint fails startup here,
 * naming the key.
 */
@ApplicationScoped
class Components {

    /** Also checks the service-level settings, so every bean built from the configuration sees a valid one. */
    @Produces
    @Singleton
    TrainingConfig trainingConfig(ServiceConfig config) {
        LearnerSettings.checkServiceSettings(config);
        return LearnerSettings.trainingConfig(config);
    }

    @Produces
    @Singleton
    RecordSchema recordSchema(ServiceConfig config, TrainingConfig training, MeterRegistry registry) {
        return SchemaSettings.recordSchema(config, training.loss(),
                field -> registry.counter(TrainingMeters.UNSEEN_CATEGORIES, "field", field).increment());
    }

    @Produces
    @Singleton
    RecordFormats recordFormats(ServiceConfig config, ObjectMapper mapper, TrainingConfig training,
                                RecordSchema schema) {
        return new RecordFormats(mapper, new RecordRules(config.model().inputSize(), config.model().outputSize(),
                training.loss(), config.records().maxBytes(), schema, LearnerSettings.valueLimits(config)));
    }

    @Produces
    @Singleton
    ModelBootstrap bootstrap(ServiceConfig config, TrainingConfig training) {
        return ModelBootstrap.start(config, training);
    }

    /** Publishes the first version (new, or restored) as it is made. */
    @Produces
    @Singleton
    VersionedModel model(ModelBootstrap bootstrap, ServiceConfig config) {
        ServiceConfig.Training t = config.training();
        return new VersionedModel(bootstrap.learner(), new SnapshotRegistry(),
                new VersionedModel.Schedule(t.snapshotInterval(), t.snapshotEverySteps()),
                bootstrap.restoredVersion());
    }

    /**
     * A process that trains serves its own versions; a predictor starts with an empty registry, filled from the
     * model topic (and is not ready until then). A predictor never makes a learner.
     */
    @Produces
    @Singleton
    SnapshotRegistry snapshots(ServiceConfig config, Instance<VersionedModel> model) {
        return config.role().trains() ? model.get().registry() : new SnapshotRegistry();
    }

    @Produces
    @Singleton
    PredictionService predictionService(SnapshotRegistry snapshots, TrainingConfig training, RecordSchema schema) {
        return new PredictionService(snapshots, training.loss(), schema.classNames());
    }

    @Produces
    @Singleton
    TrainingInbox inbox(ServiceConfig config) {
        return new TrainingInbox(config.training().queueCapacity());
    }

    @Produces
    @Singleton
    ValidationWindow validationWindow(ServiceConfig config) {
        return new ValidationWindow(config.training().validationWindow());
    }

    @Produces
    @Singleton
    OffsetRanges offsetRanges() {
        return new OffsetRanges();
    }

    @Produces
    @Singleton
    ResumePositions resumePositions(ServiceConfig config, Instance<ModelBootstrap> bootstrap, OffsetRanges taken) {
        if (!config.role().trains()) {
            return new ResumePositions(Map.of(), taken);
        }
        return new ResumePositions(bootstrap.get().checkpoint().map(c -> c.positions().all())
                .orElse(Map.of()), taken);
    }

    @Produces
    @Singleton
    ExampleIngest exampleIngest(RecordFormats formats, TrainingInbox inbox, ValidationWindow window,
                                OffsetRanges taken) {
        return new ExampleIngest(formats, inbox, window, taken);
    }

    /** The trainer's checkpoints; failed writes are counted on {@code mlp_checkpoints_failed_total}. */
    @Produces
    @Singleton
    Checkpointer checkpointer(ModelBootstrap bootstrap, VersionedModel model, ValidationWindow window,
                              ServiceConfig config, MeterRegistry registry) {
        StreamPositions positions = new StreamPositions(bootstrap.checkpoint().map(c -> c.positions().training())
                .orElse(Map.of()), window);
        Checkpointer checkpointer = new Checkpointer(bootstrap.store(),
                new Checkpointer.Schedule(config.checkpoint().everySteps(), config.checkpoint().interval()),
                bootstrap.configuration(), positions, model.learner().step());
        FunctionCounter.builder("mlp.checkpoints.failed", checkpointer, Checkpointer::failures)
                .description("checkpoint writes that failed since startup").register(registry);
        return checkpointer;
    }

    @Produces
    @Singleton
    Trainer trainer(ModelBootstrap bootstrap, VersionedModel model, TrainingInbox inbox, ValidationWindow window,
                    ServiceConfig config, @All List<TrainingListener> listeners, Checkpointer checkpointer) {
        ServiceConfig.Training t = config.training();
        ValidationMonitor monitor = LearnerSettings.validationMonitor(config, model.learner().config().loss());
        bootstrap.checkpoint().map(c -> c.learning().monitor()).ifPresent(monitor::restore);
        Evaluator evaluator = new Evaluator(model, window, monitor,
                new Evaluator.Schedule(t.validateEverySteps(), t.minValidationExamples()));
        TrainingConfig learning = model.learner().config();
        OptionalInt classes = learning.loss().classifies() ? OptionalInt.of(learning.model().outputSize())
                : OptionalInt.empty();
        TrainingStatistics statistics = new TrainingStatistics(classes, config.metrics().fadingFactor(),
                config.metrics().interval(), bootstrap.checkpoint().map(Checkpoint::examplesSeen).orElse(0L),
                TrainingListener.all(listeners));
        return new Trainer(inbox.batches(t.batchSize(), t.maxBatchWait()), model, evaluator, checkpointer,
                statistics);
    }
}
