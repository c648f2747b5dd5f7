package org.streamingmlp.trainer;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.nn.LossKind;

/**
 * The one thread that writes the model. It takes micro-batches off the queue, measures the current model on
 * each batch before learning it (prequential accuracy), takes one optimizer step, publishes snapshots for
 * predictions, evaluates on the validation window, and emits periodic {@link TrainingReport}s.
 * Everything else reads what it publishes: snapshots, reports and {@link #status()}.
 */
public final class Trainer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Trainer.class);
    private static final int RECENT_STEPS = 100;

    private final OnlineLearner learner;
    private final MicroBatcher batcher;
    private final SnapshotRegistry snapshots;
    private final ValidationWindow validation;
    private final TrainerSettings settings;
    private final Consumer<TrainingReport> reports;
    private final boolean classifies;

    private final SlidingMean recentLoss = new SlidingMean(RECENT_STEPS);
    private final SlidingMean recentAccuracy = new SlidingMean(RECENT_STEPS);
    private long examplesSeen;
    private long modelVersion;
    private StepResult lastStep;
    private double validationLoss = Double.NaN;
    private double validationAccuracy = Double.NaN;
    private int validationExamples;
    private long evaluatedAtStep;
    private long evaluatedAtReceived;
    private long lastReportNanos;
    private long examplesAtLastReport;

    private volatile TrainingReport status;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public Trainer(OnlineLearner learner, BlockingQueue<LabeledExample> queue, SnapshotRegistry snapshots,
                   ValidationWindow validation, TrainerSettings settings, Consumer<TrainingReport> reports) {
        this.learner = learner;
        this.batcher = new MicroBatcher(queue, settings.batchSize(), settings.maxBatchWait());
        this.snapshots = snapshots;
        this.validation = validation;
        this.settings = settings;
        this.reports = reports;
        LossKind loss = learner.config().loss();
        this.classifies = loss == LossKind.CROSS_ENTROPY || loss == LossKind.FOCAL;
        // The untrained model answers predictions until the first step: a snapshot exists from the start.
        publishSnapshot();
        lastReportNanos = System.nanoTime();
        status = report(0);
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<LabeledExample> batch = batcher.next();
                if (!batch.isEmpty()) {
                    learn(batch);
                } else if (learner.step() != evaluatedAtStep || validation.received() != evaluatedAtReceived) {
                    // The stream paused: measure the latest model now rather than at a step that may not come.
                    evaluate();
                }
                reportIfDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("The trainer thread stopped on an unexpected error; the model is no longer updated", t);
        }
    }

    /** Asks the loop to finish its current batch and return. */
    public void stop() {
        running = false;
    }

    /** The latest report, refreshed at every report interval. */
    public TrainingReport status() {
        return status;
    }

    /** The error that ended the thread, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    private void learn(List<LabeledExample> batch) {
        float[][] x = Batches.features(batch);
        if (classifies) {
            recentAccuracy.add(Accuracy.of(currentSnapshot().predict(x), batch));
        }
        StepResult result = learner.learnMany(x, Batches.targets(batch));
        examplesSeen += batch.size();
        lastStep = result;
        if (result.skipped()) {
            LOG.warnf("Skipped an update at step %d: the loss or a gradient was not finite (%d skipped so far)",
                    result.step(), learner.skippedUpdates());
            return;
        }
        recentLoss.add(result.loss());
        long step = learner.step();
        if (step % settings.snapshotEverySteps() == 0) {
            publishSnapshot();
        }
        if (step % settings.validateEverySteps() == 0) {
            evaluate();
        }
    }

    private void evaluate() {
        evaluatedAtStep = learner.step();
        evaluatedAtReceived = validation.received();
        List<LabeledExample> window = validation.copy();
        validationExamples = window.size();
        if (window.isEmpty()) {
            return;
        }
        float[][] x = Batches.features(window);
        validationLoss = learner.evaluateLoss(x, Batches.targets(window));
        // A private snapshot of this very step: the published one may lag by up to snapshot-every-steps.
        validationAccuracy = classifies ? Accuracy.of(learner.snapshot(modelVersion).predict(x), window) : Double.NaN;
    }

    private ModelSnapshot currentSnapshot() {
        return snapshots.current().orElseThrow();
    }

    private void publishSnapshot() {
        modelVersion++;
        snapshots.publish(learner.snapshot(modelVersion));
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
        return new TrainingReport(learner.step(), examplesSeen, modelVersion, recentLoss.mean(),
                recentAccuracy.mean(), validationLoss, validationAccuracy, validationExamples,
                lastStep == null ? Double.NaN : lastStep.learningRate(),
                lastStep == null ? Double.NaN : lastStep.gradNormBeforeClip(), learner.skippedUpdates(),
                examplesPerSecond, System.currentTimeMillis());
    }
}
