package org.streamingmlp.trainer;

import java.time.Duration;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * The model under training and the versions of it that serve predictions: learns a batch, and publishes an immutable
 * {@link ModelSnapshot} into the serving side's {@link SnapshotRegistry}. Versions only go up, also across restarts.
 * Owned by the trainer thread.
 *
 * <p>When a snapshot is published ({@link Schedule}): at once after a step that leaves no full batch waiting (the
 * trainer has caught up and will wait for data: the newest model answers, and copying it costs the trainer no
 * time), and at most every {@code backlogInterval} while it works through a backlog. A snapshot is a 1 MB copy for
 * 784-256-256-10 (a humongous object for G1 with 1 MB regions): one per step at 250 steps/s made the collector
 * the bottleneck of the training path (issue #9), while a backlog's answers gain nothing from a snapshot per step
 * that no request reads.
 */
public final class VersionedModel {

    /**
     * When a snapshot is published.
     *
     * @param backlogInterval while a full batch is waiting after a step, at most this often
     * @param everySteps      0, or also after this many steps whatever the backlog (a fixed cadence)
     */
    public record Schedule(Duration backlogInterval, int everySteps) {

        public Schedule {
            if (backlogInterval.isNegative() || everySteps < 0) {
                throw new IllegalArgumentException("backlogInterval and everySteps must not be negative");
            }
        }

        /** After every step: each version answers (tests that count versions, conformance). */
        public static Schedule everyStep() {
            return new Schedule(Duration.ZERO, 0);   // a zero interval: every step is due
        }
    }

    private final OnlineLearner learner;
    private final SnapshotRegistry registry;
    private final Schedule schedule;
    private long version;
    private long lastPublishNanos;

    /**
     * Publishes the model as it is now (untrained, or restored from a checkpoint) as version
     * {@code lastVersion + 1}, so that predictions have an answer from the start.
     */
    public VersionedModel(OnlineLearner learner, SnapshotRegistry registry, Schedule schedule, long lastVersion) {
        this.learner = learner;
        this.registry = registry;
        this.schedule = schedule;
        this.version = lastVersion;
        publishNew();
    }

    /**
     * Predicts the batch with the current model, then takes one optimizer step on it (prequential); a snapshot
     * follows when the {@link Schedule} says so (never after a skipped update). {@code backlog}: a full batch is
     * already waiting for the trainer.
     */
    OnlineLearner.Prequential predictThenLearn(float[][] features, int[][] categories, Targets targets,
                                               float[] weights, boolean backlog) {
        OnlineLearner.Prequential prequential = learner.predictThenLearn(features, categories, targets, weights);
        if (!prequential.step().skipped() && publicationDue(backlog)) {
            publishNew();
        }
        return prequential;
    }

    private boolean publicationDue(boolean backlog) {
        return !backlog
                || System.nanoTime() - lastPublishNanos >= schedule.backlogInterval().toNanos()
                || schedule.everySteps() > 0 && learner.step() % schedule.everySteps() == 0;
    }

    /**
     * The published snapshot of the model as it is now: publishes one first if the model learned since the last
     * (the trainer went idle, or needs the version of exactly these parameters).
     */
    ModelSnapshot publishedUpToDate() {
        ModelSnapshot published = published();
        return published.step() == learner.step() ? published : publishNew();
    }

    /** Publishes the current parameters as the next version. */
    ModelSnapshot publishNew() {
        ModelSnapshot snapshot = learner.snapshot(++version);
        registry.publish(snapshot);
        lastPublishNanos = System.nanoTime();
        return snapshot;
    }

    /** The newest published snapshot. */
    ModelSnapshot published() {
        return registry.current().orElseThrow();
    }

    /** Version of the newest published snapshot. */
    long version() {
        return version;
    }

    /** Where the versions go: the serving side reads them there. */
    public SnapshotRegistry registry() {
        return registry;
    }

    public OnlineLearner learner() {
        return learner;
    }
}
