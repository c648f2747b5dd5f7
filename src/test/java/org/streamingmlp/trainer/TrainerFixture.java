package org.streamingmlp.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.serving.SnapshotRegistry;

/** A trainer assembled as the service's composition root does, with small settings for tests. */
final class TrainerFixture {

    final TrainingInbox inbox = new TrainingInbox(10_000);
    final ValidationWindow validation;
    final SnapshotRegistry snapshots;
    final Trainer trainer;

    /**
     * @param store checkpoints (null: off); the newest valid one is restored, as at service startup
     */
    TrainerFixture(TrainingConfig config, int batchSize, int validateEverySteps, int minValidationExamples,
                   EarlyStoppingConfig stopping, CheckpointStore store) {
        Optional<Checkpoint> resume = Optional.ofNullable(store).flatMap(TrainerFixture::newest);
        OnlineLearner learner = new OnlineLearner(config);
        resume.ifPresent(c -> {
            learner.restoreTrainingState(c.training());
            learner.restoreScheduleOrigin(c.learning().scheduleOrigin());
        });
        validation = new ValidationWindow(200);
        VersionedModel model = new VersionedModel(learner, new SnapshotRegistry(),
                VersionedModel.Schedule.everyStep(), resume.map(Checkpoint::modelVersion).orElse(0L));
        snapshots = model.registry();
        ValidationMonitor monitor = new ValidationMonitor(stopping, ValidationMonitor.Monitored.LOSS, true,
                new PageHinkley(0.01, 0.3, 3));
        resume.map(c -> c.learning().monitor()).ifPresent(monitor::restore);
        StreamPositions positions = new StreamPositions(resume.map(c -> c.positions().training()).orElse(Map.of()),
                validation);
        Checkpointer checkpointer = new Checkpointer(Optional.ofNullable(store),
                new Checkpointer.Schedule(1_000_000, Duration.ofHours(1)), new TreeMap<>(Map.of("k", "v")),
                positions, learner.step());
        trainer = new Trainer(inbox.batches(batchSize, Duration.ofMillis(20)), model,
                new Evaluator(model, validation, monitor, new Evaluator.Schedule(validateEverySteps,
                        minValidationExamples)),
                checkpointer, new TrainingStatistics(OptionalInt.of(config.model().outputSize()), 0.999, Duration.ofHours(1),
                resume.map(Checkpoint::examplesSeen).orElse(0L), TrainingListener.NONE));
    }

    private static Optional<Checkpoint> newest(CheckpointStore store) {
        try {
            return store.loadNewestValid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
