package org.streamingmlp.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.learner.EarlyStopping;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.nn.LossKind;

/**
 * The one thread that writes the model. For each micro-batch it first scores the current model on the batch
 * (prequential: predict, then learn), then takes one optimizer step, publishes snapshots for predictions, and
 * evaluates on the validation window every {@code validateEverySteps} batches (and whenever the stream pauses).
 * The {@link ValidationMonitor} turns evaluations into early stopping (restore the best model, freeze) and,
 * while frozen, drift detection (resume with a learning-rate warm restart).
 * <p>
 * While frozen, training examples are still consumed and scored (prequential figures stay live) but not
 * learned: they are counted in {@link TrainingReport#examplesIgnoredWhileFrozen()}. Pausing consumption instead
 * would make the model learn stale pre-drift examples first when it resumes.
 */
public final class Trainer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Trainer.class);
    private static final int RECENT_STEPS = 100;
    /** Writes the trainer's state machines into checkpoints (records, infinities as strings). */
    private static final com.fasterxml.jackson.databind.ObjectMapper STATE_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final OnlineLearner learner;
    private final MicroBatcher<ConsumedExample> batcher;
    private final SnapshotRegistry snapshots;
    private final ValidationWindow validation;
    private final TrainerSettings settings;
    private final ValidationMonitor monitor;
    private final Consumer<TrainingReport> reports;
    private final Consumer<TrainingEvent> events;
    private final boolean classifies;
    /** Null when standardisation is off. */
    private final FeatureStandardizer standardizer;

    private final SlidingMean recentLoss = new SlidingMean(RECENT_STEPS);
    private final SlidingMean recentScore = new SlidingMean(RECENT_STEPS);
    private long examplesSeen;
    private long examplesIgnoredWhileFrozen;
    private long modelVersion;
    private StepResult lastStep;
    private int consecutiveSkipped;
    private long batchesSinceEvaluation;
    private double validationLoss = Double.NaN;
    private double validationAccuracy = Double.NaN;
    private int validationExamples;
    private long evaluatedAtStep = -1;
    private long evaluatedAtReceived = -1;
    /** Step of the last evaluation early stopping counted. */
    private long monitoredAtStep = -1;
    private ServingModel bestSnapshot;
    private long lastReportNanos;
    private long examplesAtLastReport;
    private long lastPublishNanos;
    /** Null when checkpointing is off. */
    private final CheckpointStore checkpoints;
    private final ConcurrentLinkedQueue<CompletableFuture<Path>> checkpointRequests = new ConcurrentLinkedQueue<>();
    private long stepAtLastCheckpoint;
    /** Next offset to consume per training partition: everything before it has been through the trainer. */
    private final java.util.Map<String, Long> trainingOffsets = new java.util.TreeMap<>();
    private long lastCheckpointNanos = System.nanoTime();

    private volatile TrainingReport status;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public Trainer(OnlineLearner learner, BlockingQueue<ConsumedExample> queue, SnapshotRegistry snapshots,
                   ValidationWindow validation, TrainerSettings settings, ValidationMonitor monitor,
                   Consumer<TrainingReport> reports, Consumer<TrainingEvent> events) {
        this(learner, queue, snapshots, validation, settings, monitor, reports, events, null, Optional.empty());
    }

    /**
     * @param checkpoints where checkpoints go (periodically, on request and at shutdown); null to disable
     * @param resume      a checkpoint to continue from: its state is restored before the first snapshot, whose
     *                    version follows the checkpoint's, so versions keep going up across restarts
     */
    public Trainer(OnlineLearner learner, BlockingQueue<ConsumedExample> queue, SnapshotRegistry snapshots,
                   ValidationWindow validation, TrainerSettings settings, ValidationMonitor monitor,
                   Consumer<TrainingReport> reports, Consumer<TrainingEvent> events, CheckpointStore checkpoints,
                   Optional<Checkpoint> resume) {
        this.learner = learner;
        this.batcher = new MicroBatcher<>(queue, settings.batchSize(), settings.maxBatchWait());
        this.snapshots = snapshots;
        this.validation = validation;
        this.settings = settings;
        this.monitor = monitor;
        this.reports = reports;
        this.events = events;
        LossKind loss = learner.config().loss();
        this.classifies = loss == LossKind.CROSS_ENTROPY || loss == LossKind.FOCAL;
        this.standardizer = settings.standardizeFeatures()
                ? new FeatureStandardizer(learner.config().model().inputSize()) : null;
        this.checkpoints = checkpoints;
        resume.ifPresent(this::restore);
        // The untrained model answers predictions until the first step: a snapshot exists from the start.
        publish(serving(nextVersion()));
        lastReportNanos = System.nanoTime();
        status = report(0);
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<ConsumedExample> batch = batcher.next();
                if (!batch.isEmpty()) {
                    onBatch(batch.stream().map(ConsumedExample::example).toList());
                    for (ConsumedExample consumed : batch) {   // learned (or, frozen, deliberately not)
                        if (consumed.source() != null) {
                            trainingOffsets.put(consumed.source().key(), consumed.source().offset() + 1);
                        }
                    }
                    status = report(status.examplesPerSecond());   // readers see every step, not only reports
                } else if (learner.step() != evaluatedAtStep || validation.received() != evaluatedAtReceived) {
                    // The stream paused: measure the latest model now rather than at a step that may not come.
                    evaluate();
                }
                reportIfDue();
                checkpointIfDue();
            }
            if (checkpoints != null && learner.step() != stepAtLastCheckpoint) {
                writeCheckpoint();   // graceful stop: the work since the last checkpoint is kept
            }
            failPendingCheckpoints(new IllegalStateException("the trainer stopped"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failPendingCheckpoints(e);
        } catch (Throwable t) {
            failPendingCheckpoints(t);
            failure = t;
            LOG.error("The trainer thread stopped on an unexpected error; the model is no longer updated", t);
        }
    }

    /** Asks the loop to finish its current batch and return. */
    public void stop() {
        running = false;
    }

    /**
     * Asks the trainer thread to write a checkpoint after its current batch; completes with its directory.
     * Fails at once when checkpointing is off ({@code mlp.checkpoint.dir} unset).
     */
    public CompletableFuture<Path> requestCheckpoint() {
        CompletableFuture<Path> request = new CompletableFuture<>();
        if (checkpoints == null) {
            request.completeExceptionally(new IllegalStateException("checkpointing is off: set mlp.checkpoint.dir"));
        } else if (!running) {
            request.completeExceptionally(new IllegalStateException("the trainer is stopping"));
        } else {
            checkpointRequests.add(request);
        }
        return request;
    }

    /** The latest state: refreshed after every batch (throughput: at every report interval). */
    public TrainingReport status() {
        return status;
    }

    /** The error that ended the thread, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    private void onBatch(List<LabeledExample> batch) {
        float[][] x = Batches.features(batch);
        examplesSeen += batch.size();
        recentScore.add(Score.of(currentSnapshot().predict(x, Batches.categories(batch)), batch, classifies));
        if (monitor.frozen()) {
            examplesIgnoredWhileFrozen += batch.size();
        } else {
            if (standardizer != null) {
                standardizer.update(x);
            }
            learn(scaling().apply(x), batch);
        }
        if (++batchesSinceEvaluation >= settings.validateEverySteps()) {
            evaluate();
        }
    }

    private void learn(float[][] x, List<LabeledExample> batch) {
        float[] weights = Batches.weights(batch);
        if (Batches.weightless(weights)) {
            return;   // every example has weight 0: the weighted mean is undefined, nothing to learn
        }
        StepResult result = learner.learnMany(x, Batches.categories(batch), Batches.targets(batch), weights);
        lastStep = result;
        if (result.skipped()) {
            consecutiveSkipped++;
            LOG.warnf("Skipped an update at step %d: the loss or a gradient was not finite (%d skipped so far)",
                    result.step(), learner.skippedUpdates());
            return;
        }
        consecutiveSkipped = 0;
        recentLoss.add(result.loss());
        if (learner.step() % settings.snapshotEverySteps() == 0
                || System.nanoTime() - lastPublishNanos >= settings.snapshotInterval().toNanos()) {
            publish(serving(nextVersion()));
        }
    }

    private void evaluate() {
        batchesSinceEvaluation = 0;
        evaluatedAtStep = learner.step();
        evaluatedAtReceived = validation.received();
        List<LabeledExample> window = validation.copy();
        validationExamples = window.size();
        if (window.size() < settings.minValidationExamples()) {
            return;   // too few examples to judge the model: no figure, no early-stopping evidence
        }
        float[][] x = scaling().apply(Batches.features(window));
        int[][] categories = Batches.categories(window);
        validationLoss = learner.evaluateLoss(x, categories, Batches.targets(window));
        // Scored by a private snapshot of this very step: the published one may lag by up to snapshot-every-steps.
        validationAccuracy = classifies ? Score.of(learner.snapshot(modelVersion).predict(x, categories), window, true)
                : Double.NaN;
        if (!monitor.frozen() && learner.step() == monitoredAtStep) {
            // Same model as at the last counted evaluation (new validation data arrived while training stood
            // still): early stopping counts evaluations of new models only, or a validation stream that starts
            // before the training stream would stop training at step 0.
            return;
        }
        monitoredAtStep = learner.step();
        switch (monitor.onEvaluation(validationLoss, validationAccuracy, learner.step())) {
            case IMPROVED -> bestSnapshot = publishedAsBest();
            case STOPPED -> stopEarly();
            case DRIFT -> resumeAfterDrift();
            case NONE -> { }
        }
    }

    /**
     * The best model so far, as a published snapshot: predictions may have been answered by exactly these
     * parameters, under the version that the early-stopping event later names.
     */
    private ServingModel publishedAsBest() {
        ServingModel published = currentSnapshot();
        if (published.step() == learner.step()) {
            return published;
        }
        ServingModel best = serving(nextVersion());
        publish(best);
        return best;
    }

    private void stopEarly() {
        EarlyStopping stopping = monitor.earlyStopping();
        if (bestSnapshot != null) {   // null only if no evaluation of the round was ever an improvement
            learner.restore(bestSnapshot.model());
            if (standardizer != null) {
                standardizer.restore(bestSnapshot.scaling());
            }
        }
        publish(serving(nextVersion()));
        LOG.infof("Early stopping at step %d: no improvement for %d evaluations; restored the model of step %d "
                + "(best validation %s %.5f) as version %d; training is frozen until drift", learner.step(),
                stopping.counter(), stopping.bestStep(), monitor.monitored().name().toLowerCase(), stopping.best(),
                modelVersion);
        emit("early-stopping", stopping, Double.NaN);
    }

    private void resumeAfterDrift() {
        learner.restartSchedule();
        // The window mixes the old concept with the new: the new round judges the model on new examples only.
        validation.clear();
        LOG.infof("Drift: validation loss %.5f rose above the frozen model's level (Page-Hinkley %.4f); training "
                + "resumes at step %d with a warm restart (round %d)", validationLoss,
                monitor.driftDetector().statistic(), learner.step(), monitor.round());
        emit("drift", monitor.finishedRound(), monitor.driftDetector().statistic());
    }

    private void emit(String type, EarlyStopping stopping, double driftStatistic) {
        events.accept(new TrainingEvent(type, learner.step(), modelVersion, monitor.round(), stopping.best(),
                stopping.bestStep(), bestSnapshot == null ? -1 : bestSnapshot.version(), validationLoss,
                driftStatistic, System.currentTimeMillis()));
        status = report(status.examplesPerSecond());
    }

    private ServingModel currentSnapshot() {
        return snapshots.current().orElseThrow();
    }

    private FeatureScaling scaling() {
        return standardizer == null ? FeatureScaling.IDENTITY : standardizer.scaling();
    }

    /** The current parameters with the scaling they are trained under, as an immutable version. */
    private ServingModel serving(long version) {
        return new ServingModel(learner.snapshot(version), scaling());
    }

    private long nextVersion() {
        return ++modelVersion;
    }

    private void publish(ServingModel snapshot) {
        snapshots.publish(snapshot);
        lastPublishNanos = System.nanoTime();
    }

    private void checkpointIfDue() {
        if (checkpoints == null) {
            return;
        }
        boolean due = learner.step() - stepAtLastCheckpoint >= settings.checkpointEverySteps()
                || learner.step() != stepAtLastCheckpoint
                && System.nanoTime() - lastCheckpointNanos >= settings.checkpointInterval().toNanos();
        if (due || !checkpointRequests.isEmpty()) {
            Path written = writeCheckpoint();
            for (CompletableFuture<Path> request; (request = checkpointRequests.poll()) != null; ) {
                if (written != null) {
                    request.complete(written);
                } else {
                    request.completeExceptionally(new IOException("the checkpoint could not be written; see the log"));
                }
            }
        }
    }

    /** Writes a checkpoint of the current state; a failure is logged and training goes on. */
    private Path writeCheckpoint() {
        FeatureScaling scaling = scaling();
        Checkpoint checkpoint = new Checkpoint(modelVersion, learner.scheduleOrigin(), examplesSeen,
                learner.trainingState(), learner.parameterShapes(), scaling.count(), scaling.mean(),
                scaling.sumOfSquaredDeviations(), trainingOffsets, validation.resumeOffsets(),
                STATE_JSON.valueToTree(monitor.state()));
        try {
            Path written = checkpoints.write(checkpoint);
            stepAtLastCheckpoint = learner.step();
            lastCheckpointNanos = System.nanoTime();
            LOG.debugf("Checkpoint %s written at step %d", written.getFileName(), learner.step());
            return written;
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Could not write a checkpoint at step %d; training goes on", learner.step());
            return null;
        }
    }

    private void failPendingCheckpoints(Throwable cause) {
        for (CompletableFuture<Path> request; (request = checkpointRequests.poll()) != null; ) {
            request.completeExceptionally(cause);
        }
    }

    private void restore(Checkpoint checkpoint) {
        learner.restoreTrainingState(checkpoint.training());
        learner.restoreScheduleOrigin(checkpoint.scheduleOrigin());
        modelVersion = checkpoint.modelVersion();
        examplesSeen = checkpoint.examplesSeen();
        examplesAtLastReport = examplesSeen;
        stepAtLastCheckpoint = learner.step();
        trainingOffsets.putAll(checkpoint.trainingOffsets());
        if (checkpoint.trainer() != null) {
            try {
                monitor.restore(STATE_JSON.treeToValue(checkpoint.trainer(), ValidationMonitor.State.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("the checkpoint's early-stopping state cannot be read", e);
            }
        }
        if (standardizer != null && checkpoint.scalingCount() > 0) {
            standardizer.restore(new FeatureScaling(checkpoint.scalingCount(), checkpoint.scalingMean(),
                    checkpoint.scalingM2()));
        }
    }

    private void reportIfDue() {
        long now = System.nanoTime();
        if (now - lastReportNanos < settings.reportInterval().toNanos()) {
            return;
        }
        double seconds = (now - lastReportNanos) / 1e9;
        TrainingReport report = report((examplesSeen - examplesAtLastReport) / seconds);
        lastReportNanos = now;
        examplesAtLastReport = examplesSeen;
        status = report;
        reports.accept(report);
    }

    private TrainingReport report(double examplesPerSecond) {
        EarlyStopping stopping = monitor.earlyStopping();
        return new TrainingReport(learner.step(), examplesSeen, examplesIgnoredWhileFrozen, modelVersion,
                recentLoss.mean(), classifies ? recentScore.mean() : Double.NaN,
                classifies ? Double.NaN : recentScore.mean(), validationLoss, validationAccuracy,
                validationExamples, lastStep == null ? Double.NaN : lastStep.learningRate(),
                lastStep == null ? Double.NaN : lastStep.gradNormBeforeClip(), learner.skippedUpdates(),
                consecutiveSkipped, examplesPerSecond, monitor.phase(), monitor.round(),
                stopping.best(), stopping.bestStep(), stopping.counter(), stopping.config().patience(),
                monitor.driftEvents(), monitor.driftDetector().statistic(), System.currentTimeMillis());
    }
}
