package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;

/**
 * Checkpoint writes that the file system refuses, for real (no mock of the file system; the tests also hold when run
 * as root, who ignores permissions): no temporary directory is left behind, the failures are counted, and the
 * unsaved time grows for the health check.
 */
class CheckpointFailureTest {

    /** Linux's PATH_MAX: a path of this many bytes or more is refused with ENAMETOOLONG. */
    private static final int PATH_MAX = 4096;

    @TempDir
    Path root;

    @Test
    void aWriteThatFailsHalfwayLeavesNoTemporaryDirectory() throws Exception {
        // A checkpoint directory so deep that the temporary directory fits below PATH_MAX but its first file does
        // not: the kernel refuses the write after the temporary directory exists, as a full disk would.
        Path dir = deepDirectory(PATH_MAX - 1 - ".checkpoint-000000000007.tmp".length() - 1 - 5);
        CheckpointStore store = new CheckpointStore(dir, 3);

        IOException failure = assertThrows(IOException.class, () -> store.write(checkpoint(7)));

        assertTrue(failure.getMessage().contains("model.safetensors"),
                failure.toString());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "left in the directory");
        }
    }

    @Test
    void staleTemporaryDirectoriesAreRemovedAndCheckpointsKept() throws Exception {
        Path dir = root.resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path kept = store.write(checkpoint(3));
        Path stale = Files.createDirectories(dir.resolve(".checkpoint-000000000009.tmp"));
        Files.write(stale.resolve("model.safetensors"), new byte[1000]);   // as a kill -9 mid-write leaves it

        assertEquals(1, store.removeStaleTemporaries());

        assertFalse(Files.exists(stale));
        assertEquals(List.of(kept), store.checkpointsNewestFirst());
    }

    @Test
    void failedWritesAreCountedAndTheUnsavedTimeGrows() throws Exception {
        // a regular file where the checkpoint directory must be created: every write fails
        Path blocker = Files.write(root.resolve("blocker"), new byte[] {1});
        Checkpointer checkpointer = new Checkpointer(Optional.of(new CheckpointStore(blocker.resolve("ckpt"), 3)),
                new Checkpointer.Schedule(1, Duration.ofHours(1)), new TreeMap<>(), positions(), 0);
        assertTrue(checkpointer.unsavedFor().isEmpty(), "nothing to save before the first step");

        checkpointer.afterBatch(1, () -> checkpoint(1));
        checkpointer.afterBatch(2, () -> checkpoint(2));

        assertEquals(2, checkpointer.failures());
        assertTrue(checkpointer.unsavedFor().isPresent());
        assertTrue(checkpointer.request().isDone() == false, "requests still queue for the next attempt");
    }

    @Test
    void aSuccessfulWriteLeavesNothingUnsaved() {
        Checkpointer checkpointer = new Checkpointer(Optional.of(new CheckpointStore(root.resolve("ok"), 3)),
                new Checkpointer.Schedule(1, Duration.ofHours(1)), new TreeMap<>(), positions(), 0);
        checkpointer.afterBatch(1, () -> checkpoint(1));
        assertEquals(0, checkpointer.failures());
        assertTrue(checkpointer.unsavedFor().isEmpty());
    }

    private Path deepDirectory(int length) throws IOException {
        StringBuilder path = new StringBuilder(root.toAbsolutePath().toString());
        while (path.length() < length) {
            path.append('/').append("d".repeat(Math.min(200, Math.max(1, length - path.length() - 1))));
        }
        Path dir = Path.of(path.toString());
        Files.createDirectories(dir);
        return dir;
    }

    private static StreamPositions positions() {
        return new StreamPositions(Map.of(), new ValidationWindow(10));
    }

    private static Checkpoint checkpoint(long version) {
        MlpConfig model = new MlpConfig(3, List.of(4), 2, Activation.RELU, 0.01, 0.0, Normalization.NONE);
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(model));
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        return new Checkpoint(version, 0, new Checkpoint.Learning(learner.trainingState(), 0,
                learner.parameterShapes(), monitor.state()), new Checkpoint.Positions(Map.of(), Map.of()),
                new TreeMap<>());
    }
}
