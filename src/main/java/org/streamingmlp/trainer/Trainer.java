package org.streamingmlp.trainer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.record.ConsumedExample;
import org.streamingmlp.record.LabeledExample;

/**
 * The one thread that writes the model. For each micro-batch it first scores the current model on the batch
 * (prequential: predict, then learn), then takes one optimizer step ({@link VersionedModel} publishes snapshots for
 * predictions), lets the {@link Evaluator} evaluate and stop early or resume after drift, reports
 * ({@link TrainingStatistics}) and checkpoints ({@link Checkpointer}) when due.
 * <pre>
 *   loop: batch -> score -> learn (unless frozen) -> evaluate when due -> report when due -> checkpoint when due
 *         no batch within a tick -> evaluate if the model or the validation window changed (the stream paused)
 * </pre>
 * While frozen, training examples are still consumed and scored (prequential figures stay live) but not learned:
 * they are counted in {@link TrainingProgress#examplesIgnoredWhileFrozen()}. Pausing consumption instead would make
 * the model learn stale pre-drift examples first when it resumes.
 */
public final class Trainer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Trainer.class);

    private final MicroBatcher<ConsumedExample> batches;
    private final VersionedModel model;
    private final Evaluator evaluator;
    private final Checkpointer checkpointer;
    private final TrainingStatistics statistics;

    private volatile TrainingReport status;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public Trainer(MicroBatcher<ConsumedExample> batches, VersionedModel model, Evaluator evaluator,
                   Checkpointer checkpointer, TrainingStatistics statistics) {
        this.batches = batches;
        this.model = model;
        this.evaluator = evaluator;
        this.checkpointer = checkpointer;
        this.statistics = statistics;
        this.status = report();
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<ConsumedExample> batch = batches.next();
                if (!batch.isEmpty()) {
                    onBatch(batch);
                    status = report();   // readers see every step, not only reports
                } else {
                    model.publishedUpToDate();   // the stream paused: answers come from the newest model
                    if (evaluator.hasNewEvidence()) {
                        // Measure the latest model now rather than at a step that may not come.
                        evaluator.evaluate().ifPresent(this::emit);
                        status = report();
                    }
                }
                TrainingReport sent = statistics.reportIfDue(this::report);
                if (sent != null) {
                    status = sent;
                }
                checkpointer.afterBatch(learner().step(), this::checkpoint);
            }
            checkpointer.close(learner().step(), this::checkpoint);   // graceful stop keeps the work since the last
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checkpointer.failPending(e);
        } catch (Throwable t) {
            checkpointer.failPending(t);
            failure = t;
            LOG.error("The trainer thread stopped on an unexpected error; the model is no longer updated", t);
        }
    }

    /** Asks the loop to finish its current batch, write a last checkpoint, and return. */
    public void stop() {
        running = false;
    }

    /**
     * Asks the trainer thread to write a checkpoint after its current batch; completes with its directory.
     * Fails at once when checkpointing is off ({@code mlp.checkpoint.dir} unset).
     */
    public CompletableFuture<Path> requestCheckpoint() {
        return checkpointer.request();   // refused once the trainer closes; one that comes later fails at close
    }

    /** The latest state: refreshed after every batch (throughput: at every report interval). */
    public TrainingReport status() {
        return status;
    }

    /** The error that ended the thread, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    private void onBatch(List<ConsumedExample> consumed) {
        List<LabeledExample> batch = consumed.stream().map(ConsumedExample::example).toList();
        float[][] x = Batches.features(batch);
        int[][] categories = Batches.categories(batch);
        float[] weights = Batches.weights(batch);
        float[][] predictions;   // prequential: by the current model, before it learns the batch
        if (evaluator.frozen()) {
            predictions = learner().predict(x, categories);
            statistics.ignored(batch.size());
        } else if (Batches.weightless(weights)) {
            // every example has weight 0: the weighted mean is undefined, nothing to learn
            predictions = learner().predict(x, categories);
        } else {
            OnlineLearner.Prequential prequential = model.predictThenLearn(x, categories, Batches.targets(batch),
                    weights, batches.fullBatchWaiting());
            predictions = prequential.predictions();
            stepped(prequential.step());
        }
        statistics.scored(predictions, batch);
        checkpointer.passed(consumed);
        evaluator.afterBatch().ifPresent(this::emit);
    }

    private void stepped(StepResult result) {
        statistics.stepped(result);
        if (result.skipped()) {
            LOG.warnf("Skipped an update at step %d: the loss or a gradient was not finite (%d skipped so far)",
                    result.step(), learner().skippedUpdates());
        }
    }

    private void emit(TrainingEvent event) {
        statistics.event(event);
        status = report();
    }

    private OnlineLearner learner() {
        return model.learner();
    }

    private Checkpoint checkpoint() {
        OnlineLearner learner = learner();
        return checkpointer.checkpointOf(model.version(), statistics.examplesSeen(), new Checkpoint.Learning(
                learner.trainingState(), learner.scheduleOrigin(), learner.parameterShapes(),
                evaluator.monitor().state()));
    }

    private TrainingReport report() {
        return new TrainingReport(System.currentTimeMillis(), learner().step(), model.version(),
                statistics.progress(learner().skippedUpdates(), learner().ignoredScalingRows(),
                        evaluator.ignoredValidationExamples()), evaluator.figures(),
                EarlyStoppingStatus.of(evaluator.monitor()), DriftStatus.of(evaluator.monitor()));
    }
}
