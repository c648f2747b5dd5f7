package org.streamingmlp.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import org.jboss.logging.Logger;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.config.LearnerSettings;
import org.streamingmlp.config.SchemaSettings;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.predict.Predictor;
import org.streamingmlp.stream.ClassNames;
import org.streamingmlp.stream.MetricsPublisher;
import org.streamingmlp.stream.RecordFormats;
import org.streamingmlp.stream.RecordSchema;
import org.streamingmlp.trainer.ConsumedExample;
import org.streamingmlp.trainer.LabeledExample;
import org.streamingmlp.trainer.SourceOffset;
import org.streamingmlp.trainer.SnapshotRegistry;
import org.streamingmlp.trainer.Trainer;
import org.streamingmlp.trainer.TrainerSettings;
import org.streamingmlp.trainer.TrainingReport;
import org.streamingmlp.trainer.ValidationMonitor;
import org.streamingmlp.trainer.ValidationWindow;

/**
 * Assembles the learning side of the service at startup and owns its lifecycle: validates the configuration
 * (a bad value fails startup), builds the learner, publishes the first snapshot before any channel starts,
 * and runs the {@link Trainer} on its own thread until shutdown. The stream edges and the REST API reach
 * the model only through what this class exposes.
 */
@ApplicationScoped
public class LearningService {

    private static final Logger LOG = Logger.getLogger(LearningService.class);
    /** Before SmallRye Reactive Messaging starts its channels (LIBRARY_BEFORE), after the local broker. */
    static final int STARTUP_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE + 100;
    /** Micrometer counter of accepted records whose categorical field held an unknown value, tagged {@code field}. */
    public static final String UNSEEN_CATEGORIES = "mlp.features.unseen.categories";

    @Inject
    ServiceConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    MetricsPublisher metricsPublisher;

    @Inject
    MeterRegistry registry;

    private TrainingConfig trainingConfig;
    private BlockingQueue<ConsumedExample> queue;
    private ValidationWindow validation;
    private SnapshotRegistry snapshots;
    private Predictor predictor;
    private RecordFormats formats;
    private Trainer trainer;
    private Thread trainerThread;
    private int maxConsecutiveSkipped;
    private ClassNames classNames;
    private volatile Map<String, Long> resumeOffsets = Map.of();

    void start(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        LearnerSettings.checkServiceSettings(config);
        trainingConfig = LearnerSettings.trainingConfig(config);
        ServiceConfig.Training training = config.training();
        queue = new ArrayBlockingQueue<>(training.queueCapacity());
        validation = new ValidationWindow(training.validationWindow());
        snapshots = new SnapshotRegistry();
        predictor = new Predictor(snapshots, trainingConfig.loss());
        RecordSchema schema = SchemaSettings.recordSchema(config, trainingConfig.loss(),
                field -> registry.counter(UNSEEN_CATEGORIES, "field", field).increment());
        classNames = schema.classNames();
        formats = new RecordFormats(mapper, config.model().inputSize(), config.model().outputSize(),
                trainingConfig.loss(), config.records().maxBytes(), schema);
        TrainerSettings settings = new TrainerSettings(training.batchSize(), training.maxBatchWait(),
                training.snapshotEverySteps(), training.snapshotInterval(), training.validateEverySteps(), training.minValidationExamples(),
                training.standardizeFeatures(), config.metrics().interval(), config.checkpoint().everySteps(),
                config.checkpoint().interval());
        ValidationMonitor monitor = LearnerSettings.validationMonitor(config, trainingConfig.loss());
        maxConsecutiveSkipped = training.maxConsecutiveSkipped();
        CheckpointStore store = config.checkpoint().dir()
                .map(dir -> new CheckpointStore(Path.of(dir), config.checkpoint().keep())).orElse(null);
        Optional<Checkpoint> resume = store == null ? Optional.empty() : newestCheckpoint(store);
        resume.ifPresent(c -> {
            Map<String, Long> offsets = new java.util.HashMap<>(c.trainingOffsets());
            offsets.putAll(c.validationOffsets());
            resumeOffsets = Map.copyOf(offsets);
        });
        trainer = new Trainer(new OnlineLearner(trainingConfig), queue, snapshots, validation, settings, monitor,
                bestEffort(metricsPublisher::publish), bestEffort(metricsPublisher::publishEvent), store, resume);
        TrainingMeters.register(registry, this);
        trainerThread = new Thread(trainer, "mlp-trainer");
        trainerThread.setDaemon(true);
        trainerThread.start();
        LOG.infof("Learning service started: %s, loss %s, batch %d", trainingConfig.model(), trainingConfig.loss(),
                training.batchSize());
    }

    private static Optional<Checkpoint> newestCheckpoint(CheckpointStore store) {
        try {
            return store.loadNewestValid();
        } catch (IOException e) {
            throw new IllegalStateException("mlp.checkpoint.dir cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reports are best effort, and the trainer must outlive a failed one: a report due before SmallRye has wired
     * the metrics channel (startup on a loaded machine) throws while the publisher's emitter is injected, which
     * used to end the trainer thread. The next report tries again.
     */
    private static <T> java.util.function.Consumer<T> bestEffort(java.util.function.Consumer<T> sink) {
        return value -> {
            try {
                sink.accept(value);
            } catch (RuntimeException e) {
                LOG.warnf("Metrics not sent (will retry with the next report): %s", e.toString());
            }
        };
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (trainer == null) {
            return;
        }
        trainer.stop();   // finishes its batch and writes a last checkpoint
        trainerThread.join(config.training().shutdownGrace().toMillis());
        if (trainerThread.isAlive()) {
            LOG.warnf("The trainer did not stop within mlp.training.shutdown-grace=%s", config.training().shutdownGrace());
        }
    }

    /**
     * Hands a training example to the trainer, waiting while its queue is full: the caller is a Kafka
     * consumer, so waiting here pauses consumption instead of growing memory.
     */
    public void learn(LabeledExample example, SourceOffset source) throws InterruptedException {
        queue.put(new ConsumedExample(example, source));
    }

    public void validateWith(LabeledExample example, SourceOffset source) {
        validation.add(new ConsumedExample(example, source));
    }

    /**
     * Where the training and validation consumers resume, by {@code topic-partition}: the offsets of the
     * checkpoint restored at startup (empty without one). The consumers seek there on their first assignment,
     * so each example reaches the model once across restarts.
     */
    public Map<String, Long> resumeOffsets() {
        return resumeOffsets;
    }

    /** Asks the trainer for a checkpoint now; completes with its directory once written. */
    public CompletableFuture<Path> checkpoint() {
        return trainer.requestCheckpoint();
    }

    public Predictor predictor() {
        return predictor;
    }

    public SnapshotRegistry snapshots() {
        return snapshots;
    }

    /** Names of the classes ({@code mlp.model.class-names}), or null when not configured. */
    public ClassNames classNames() {
        return classNames;
    }

    /** The decoders of the input records, by content type. */
    public RecordFormats formats() {
        return formats;
    }

    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** The trainer's latest report; never null once started. */
    public TrainingReport status() {
        return trainer.status();
    }

    /** True while the trainer thread runs and has not failed. */
    public boolean trainerAlive() {
        return trainerThread != null && trainerThread.isAlive() && trainer.failure() == null;
    }

    /** True while fewer than {@code mlp.training.max-consecutive-skipped} updates in a row were non-finite. */
    public boolean lossFinite() {
        return trainer.status().consecutiveSkippedUpdates() < maxConsecutiveSkipped;
    }

    public int queuedExamples() {
        return queue.size();
    }
}
