package org.streamingmlp.trainer;

import java.time.Duration;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.record.LabeledExample;

/**
 * The trainer's running figures: examples seen and ignored, the recent training loss and prequential score, the
 * last step's learning rate and gradient norm, skipped updates, and throughput between reports; and the reports
 * themselves, handed to the {@link TrainingListener} every report interval. Owned by the trainer thread;
 * {@link #progress} turns the figures into the immutable part of a {@link TrainingReport}.
 */
public final class TrainingStatistics {

    private static final Logger LOG = Logger.getLogger(TrainingStatistics.class);

    private static final int RECENT_STEPS = 100;

    private final SlidingMean recentLoss = new SlidingMean(RECENT_STEPS);
    private final SlidingMean recentScore = new SlidingMean(RECENT_STEPS);
    private final boolean classifies;
    private final PrequentialTally prequential;
    private final long reportIntervalNanos;
    private final TrainingListener listener;
    private long examplesSeen;
    private long examplesIgnoredWhileFrozen;
    private StepResult lastStep;
    private int consecutiveSkipped;
    private long lastReportNanos = System.nanoTime();
    private long examplesAtLastReport;
    private double examplesPerSecond;

    /**
     * @param classes      the number of classes of a classifier; empty: scores are mean absolute errors
     * @param fadingFactor weight kept by an example per newer one, for the fading prequential figures
     * @param examplesSeen examples the model had seen before (restored from a checkpoint)
     */
    public TrainingStatistics(OptionalInt classes, double fadingFactor, Duration reportInterval, long examplesSeen,
                              TrainingListener listener) {
        this.classifies = classes.isPresent();
        this.prequential = classes.isPresent() ? PrequentialTally.ofClasses(classes.getAsInt(), fadingFactor)
                : PrequentialTally.none();
        this.listener = listener;
        this.reportIntervalNanos = reportInterval.toNanos();
        this.examplesSeen = examplesSeen;
        this.examplesAtLastReport = examplesSeen;
    }

    /** A batch consumed and predicted by the current model before learning (prequential). */
    void scored(float[][] outputs, List<LabeledExample> batch) {
        examplesSeen += batch.size();
        recentScore.add(Score.of(outputs, batch, classifies));
        prequential.add(outputs, batch);
    }

    /** A batch consumed while frozen: scored, not learned. */
    void ignored(int examples) {
        examplesIgnoredWhileFrozen += examples;
    }

    /** The outcome of an optimizer step. */
    void stepped(StepResult result) {
        lastStep = result;
        if (result.skipped()) {
            consecutiveSkipped++;
        } else {
            consecutiveSkipped = 0;
            recentLoss.add(result.loss());
        }
    }

    long examplesSeen() {
        return examplesSeen;
    }

    int consecutiveSkipped() {
        return consecutiveSkipped;
    }

    /**
     * Once a report interval has passed: measures the throughput since the last report, then sends the report
     * that {@code report} builds (with that throughput), and returns it.
     */
    TrainingReport reportIfDue(Supplier<TrainingReport> report) {
        long now = System.nanoTime();
        if (now - lastReportNanos < reportIntervalNanos) {
            return null;
        }
        examplesPerSecond = (examplesSeen - examplesAtLastReport) / ((now - lastReportNanos) / 1e9);
        lastReportNanos = now;
        examplesAtLastReport = examplesSeen;
        TrainingReport sent = report.get();
        bestEffort(() -> listener.report(sent));
        return sent;
    }

    void event(TrainingEvent event) {
        bestEffort(() -> listener.event(event));
    }

    /**
     * Reports are best effort, and the trainer must outlive a failed one: one due before the messaging channels are
     * wired (startup on a loaded machine) used to end the trainer thread. The next report tries again.
     */
    private static void bestEffort(Runnable send) {
        try {
            send.run();
        } catch (RuntimeException e) {
            LOG.warnf("Metrics not sent (will retry with the next report): %s", e.toString());
        }
    }

    TrainingProgress progress(long skippedUpdates, long scalingRowsIgnored, long validationExamplesIgnored) {
        return new TrainingProgress(examplesSeen, examplesIgnoredWhileFrozen, recentLoss.mean(),
                classifies ? recentScore.mean() : Double.NaN, classifies ? Double.NaN : recentScore.mean(),
                lastStep == null ? Double.NaN : lastStep.learningRate(),
                lastStep == null ? Double.NaN : lastStep.gradNormBeforeClip(), skippedUpdates, consecutiveSkipped,
                examplesPerSecond, prequential.figures(), scalingRowsIgnored, validationExamplesIgnored);
    }
}
