package org.streamingmlp.wiring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

import org.jboss.logging.Logger;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.TrainingConfig;

/**
 * The model the service starts with: a new one, or the newest valid checkpoint's, restored into the learner after
 * its configuration was checked against the current one ({@link ModelConfiguration#changes}: a refused change fails
 * startup naming the key and both values; an accepted one is logged).
 *
 * @param learner       the learner, restored when there is a checkpoint
 * @param checkpoint    the checkpoint it was restored from
 * @param store         where checkpoints go; empty when checkpointing is off
 * @param configuration the current settings, by key, stamped into new checkpoints
 */
record ModelBootstrap(OnlineLearner learner, Optional<Checkpoint> checkpoint, Optional<CheckpointStore> store,
                      SortedMap<String, String> configuration) {

    private static final Logger LOG = Logger.getLogger(ModelBootstrap.class);

    static ModelBootstrap start(ServiceConfig config, TrainingConfig training) {
        SortedMap<String, String> configuration = ModelConfiguration.of(config);
        Optional<CheckpointStore> store = config.checkpoint().dir()
                .map(dir -> new CheckpointStore(Path.of(dir), config.checkpoint().keep()));
        store.ifPresent(ModelBootstrap::removeStaleTemporaries);
        Optional<Checkpoint> checkpoint = store.flatMap(ModelBootstrap::newest);
        OnlineLearner learner = new OnlineLearner(training);
        checkpoint.ifPresent(c -> {
            checkCompatible(c, configuration);
            learner.restoreTrainingState(c.training());
            learner.restoreScheduleOrigin(c.learning().scheduleOrigin());
        });
        return new ModelBootstrap(learner, checkpoint, store, configuration);
    }

    /** What a write interrupted by a crash left behind would otherwise stay on the disk for good. */
    private static void removeStaleTemporaries(CheckpointStore store) {
        try {
            store.removeStaleTemporaries();
        } catch (IOException e) {
            LOG.warnf("Could not remove stale temporary checkpoint directories: %s", e.getMessage());
        }
    }

    private static void checkCompatible(Checkpoint checkpoint, SortedMap<String, String> configuration) {
        if (checkpoint.configuration().isEmpty()) {
            LOG.warn("The checkpoint records no configuration (written by an earlier version): restored without "
                    + "checking that it was trained under the current settings");
            return;
        }
        List<String> changes = ModelConfiguration.changes(checkpoint.configuration(), configuration);
        changes.forEach(change -> LOG.infof("Restored model, setting changed since its checkpoint: %s", change));
    }

    private static Optional<Checkpoint> newest(CheckpointStore store) {
        try {
            return store.loadNewestValid();
        } catch (IOException e) {
            throw new IllegalStateException("mlp.checkpoint.dir cannot be read: " + e.getMessage(), e);
        }
    }

    long restoredVersion() {
        return checkpoint.map(Checkpoint::modelVersion).orElse(0L);
    }
}
