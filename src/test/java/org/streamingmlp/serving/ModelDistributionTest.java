package org.streamingmlp.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;

/**
 * A snapshot survives the trip through the model topic's format: bytes, chunks, release; a predictor's copy answers
 * exactly as the trainer's, standardisation included; incomplete, corrupt, foreign and stale releases are not
 * applied.
 */
class ModelDistributionTest {

    private static final TrainingConfig CONFIG = TrainingConfig.defaults(MlpConfig.of(3, List.of(16, 16), 2))
            .withStandardizedFeatures(true);

    private static ModelSnapshot trained(long version) {
        OnlineLearner learner = new OnlineLearner(CONFIG);
        Random random = new Random(3);
        for (int s = 0; s < 5; s++) {
            float[][] x = new float[16][3];
            int[] y = new int[16];
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 3; j++) {
                    x[i][j] = (float) (5 + 3 * random.nextGaussian());
                }
                y[i] = x[i][0] > 5 ? 1 : 0;
            }
            learner.learnMany(x, new Targets.Classes(y));
        }
        return learner.snapshot(version);
    }

    @Test
    void aDecodedSnapshotAnswersExactlyAsTheOriginal() throws Exception {
        ModelSnapshot original = trained(7);
        ModelSnapshot copy = SnapshotFormat.decode(SnapshotFormat.encode(original), 7, original.step(), CONFIG);
        float[][] probe = {{5, 6, 7}, {1, 2, 3}, {9, 4, 5}};
        assertArrayEquals(original.predict(probe), copy.predict(probe));
        assertEquals(original.featureScaling().count(), copy.featureScaling().count());
        assertTrue(original.featureScaling().count() > 0, "the test must cover standardisation");
        assertEquals(7, copy.version());
    }

    @Test
    void anotherArchitectureIsRefused() {
        byte[] bytes = SnapshotFormat.encode(trained(1));
        TrainingConfig wider = TrainingConfig.defaults(MlpConfig.of(3, List.of(32, 16), 2));
        assertThrows(IllegalArgumentException.class, () -> SnapshotFormat.decode(bytes, 1, 0, wider));
    }

    @Test
    void chunksMakeAReleaseOnlyWhenAllAreThereAndTheChecksumMatches() {
        byte[] bytes = SnapshotFormat.encode(trained(2));
        int size = 1000;
        int chunks = (bytes.length + size - 1) / size;
        assertTrue(chunks > 2, "the test needs several chunks");
        ModelRelease release = release("m", 2, chunks, bytes);

        ReleaseAssembler assembler = new ReleaseAssembler("m");
        for (int i = 1; i < chunks; i++) {   // chunk 0 missing
            assembler.chunk("m", 2, i, Arrays.copyOfRange(bytes, i * size, Math.min(bytes.length, (i + 1) * size)));
        }
        assertEquals(Optional.empty(), assembler.release(release), "a release with a missing chunk");
        assembler.chunk("m", 2, 0, Arrays.copyOfRange(bytes, 0, size));
        ReleaseAssembler.Complete complete = assembler.release(release).orElseThrow();
        assertArrayEquals(bytes, complete.bytes());
        assertEquals(0, assembler.pendingVersions(), "applied versions are dropped");
        assertEquals(Optional.empty(), assembler.release(release), "the same version twice");
    }

    @Test
    void corruptForeignAndStaleReleasesAreIgnored() {
        byte[] bytes = {1, 2, 3, 4, 5};
        ReleaseAssembler assembler = new ReleaseAssembler("m");
        assembler.chunk("m", 5, 0, bytes);
        ModelRelease corrupt = new ModelRelease("m", "t1", 5, 0, 1, 5, ReleaseAssembler.sha256(new byte[]{9}), 0,
                new TreeMap<>(), new TreeMap<>());
        assertEquals(Optional.empty(), assembler.release(corrupt));
        assertEquals(Optional.empty(), assembler.release(release("other", 5, 1, bytes)), "another model's");
        assertTrue(assembler.release(release("m", 5, 1, bytes)).isPresent());
        assembler.chunk("m", 4, 0, bytes);
        assertEquals(Optional.empty(), assembler.release(release("m", 4, 1, bytes)), "older than the applied one");
        assertEquals(0, assembler.pendingVersions(), "chunks before an applied release are not kept");
    }

    @Test
    void aNewLineageIsAppliedEvenWithLowerVersions() {
        byte[] bytes = {1, 2, 3};
        ReleaseAssembler assembler = new ReleaseAssembler("m");
        assembler.chunk("m", 40, 0, bytes);
        assertTrue(assembler.release(release("m", "t1", 40, 1, bytes)).isPresent());
        assembler.chunk("m", 2, 0, bytes);
        assertTrue(assembler.release(release("m", "t2", 2, 1, bytes)).isPresent(), "a standby took over");
        assembler.chunk("m", 1, 0, bytes);
        assertEquals(Optional.empty(), assembler.release(release("m", "t2", 1, 1, bytes)), "older, same lineage");
    }

    private static ModelRelease release(String model, long version, int chunks, byte[] bytes) {
        return release(model, "t1", version, chunks, bytes);
    }

    private static ModelRelease release(String model, String lineage, long version, int chunks, byte[] bytes) {
        return new ModelRelease(model, lineage, version, 0, chunks, bytes.length, ReleaseAssembler.sha256(bytes), 0,
                new TreeMap<>(), new TreeMap<>());
    }
}
