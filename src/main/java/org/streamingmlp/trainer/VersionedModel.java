package org.streamingmlp.trainer;

import java.time.Duration;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * The model under training and the versions of it that serve predictions: learns a batch, and publishes an immutable
 * {@link ModelSnapshot} into the serving side's {@link SnapshotRegistry} after every {@code everySteps} steps or once
 * {@code interval} has passed, whichever comes first. Versions only go up, also across restarts. Owned by the
 * trainer thread.
 */
public final class VersionedModel {

    /**
     * How often a snapshot is published.
     *
     * @param everySteps after this many optimizer steps...
     * @param interval   ...or when this long has passed since the last one (and the model changed)
     */
    public record Schedule(int everySteps, Duration interval) {
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
     * follows when the schedule says so (never after a skipped update).
     */
    OnlineLearner.Prequential predictThenLearn(float[][] features, int[][] categories, Targets targets,
                                               float[] weights) {
        OnlineLearner.Prequential prequential = learner.predictThenLearn(features, categories, targets, weights);
        StepResult result = prequential.step();
        if (!result.skipped() && (learner.step() % schedule.everySteps() == 0
                || System.nanoTime() - lastPublishNanos >= schedule.interval().toNanos())) {
            publishNew();
        }
        return prequential;
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
