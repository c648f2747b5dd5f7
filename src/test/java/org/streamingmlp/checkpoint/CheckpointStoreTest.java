package org.streamingmlp.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.FeatureScaling;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.TrainingState;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    /** With dropout: its masks are a function of the step, so a resume is bit-identical with no random state. */
    private static OnlineLearner learner() {
        MlpConfig model = new MlpConfig(5, List.of(8, 8), 3, Activation.RELU, 0.01, 0.2, Normalization.BATCH_NORM);
        return new OnlineLearner(TrainingConfig.defaults(model));
    }

    private static void train(OnlineLearner learner, long seed, int steps) {
        Random random = new Random(seed);
        for (int s = 0; s < steps; s++) {
            float[][] x = new float[16][5];
            int[] y = new int[16];
            for (int i = 0; i < 16; i++) {
                y[i] = random.nextInt(3);
                for (int j = 0; j < 5; j++) {
                    x[i][j] = (float) (random.nextGaussian() + (j == y[i] ? 2 : 0));
                }
            }
            learner.learnMany(x, new Targets.Classes(y));
        }
    }

    private static Checkpoint checkpointOf(OnlineLearner learner, long version) {
        TrainingState state = learner.trainingState();
        TrainingState withScaling = new TrainingState(state.step(), state.skippedUpdates(), state.parameters(),
                state.buffers(), state.optimizer(), new FeatureScaling(2, new double[] {1.5, -2}, new double[] {0.5, 8}));
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        for (int i = 0; i < 7; i++) {
            monitor.onEvaluation(1.0, Double.NaN, i);   // no improvement after the first: stopped, frozen
        }
        return new Checkpoint(version, 1234, new Checkpoint.Learning(withScaling, 3, learner.parameterShapes(),
                monitor.state()), new Checkpoint.Positions(Map.of("mlp.train-0", 640L, "mlp.train-1", 12L),
                Map.of("mlp.validation-0", 100L)), new TreeMap<>(Map.of("mlp.model.input-size", "5")));
    }

    @Test
    void aRestoredLearnerContinuesBitForBit() throws Exception {
        OnlineLearner original = learner();
        train(original, 1, 30);
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.write(checkpointOf(original, 31));
        train(original, 2, 20);

        Checkpoint restored = store.loadNewestValid().orElseThrow();
        assertEquals(31, restored.modelVersion());
        assertEquals(3, restored.learning().scheduleOrigin());
        assertEquals(1234, restored.examplesSeen());
        assertArrayEquals(new double[] {1.5, -2}, restored.training().standardization().mean());
        assertArrayEquals(new double[] {0.5, 8}, restored.training().standardization().sumOfSquaredDeviations());
        assertEquals(Map.of("mlp.train-0", 640L, "mlp.train-1", 12L), restored.positions().training());
        assertEquals(Map.of("mlp.validation-0", 100L), restored.positions().validation());
        assertEquals(ValidationMonitor.Phase.FROZEN, restored.learning().monitor().phase());
        assertEquals(Map.of("mlp.model.input-size", "5"), restored.configuration());
        OnlineLearner resumed = learner();
        resumed.restoreTrainingState(restored.training());
        train(resumed, 2, 20);
        assertEquals(original.step(), resumed.step());
        original.parameterValues().forEach((name, values) ->
                assertArrayEquals(values, resumed.parameterValues().get(name), 0.0, name));
        original.bufferValues().forEach((name, values) ->
                assertArrayEquals(values, resumed.bufferValues().get(name), 0.0, name));
    }

    @Test
    void parametersAreSafetensorsWithPyTorchNamesAndShapes() throws Exception {
        OnlineLearner learner = learner();
        train(learner, 1, 3);
        Path written = new CheckpointStore(dir, 3).write(checkpointOf(learner, 4));
        byte[] file = Files.readAllBytes(written.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data must start 8-byte aligned");
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        assertEquals("F32", header.at("/fc1.weight/dtype").asText());
        assertEquals("[8,5]", header.at("/fc1.weight/shape").toString());
        assertEquals("[3]", header.at("/fc3.bias/shape").toString());
        long begin = header.at("/fc1.weight/data_offsets/0").asLong();
        float first = ByteBuffer.wrap(file, (int) (8 + headerLength + begin), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals((float) learner.parameterValues().get("fc1.weight")[0], first);
        assertTrue(header.has("bn1.running_var"), "running statistics are saved beside the parameters");
    }

    @Test
    void keepsTheNewestAndFallsBackFromACorruptOne() throws Exception {
        OnlineLearner learner = learner();
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (int version = 1; version <= 4; version++) {
            train(learner, version, 2);
            store.write(checkpointOf(learner, version));
        }
        List<Path> kept = store.checkpointsNewestFirst();
        assertEquals(2, kept.size());
        assertTrue(kept.get(0).endsWith("checkpoint-000000000004"));

        Path model = kept.get(0).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 1] ^= 0x01;   // one flipped bit in the newest
        Files.write(model, bytes);
        assertEquals(3, store.loadNewestValid().orElseThrow().modelVersion());
    }

    @Test
    void aCheckpointWithoutItsCommitDoesNotExist() throws Exception {
        OnlineLearner learner = learner();
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.write(checkpointOf(learner, 1));
        Path second = store.write(checkpointOf(learner, 2));
        Files.delete(second.resolve("COMMIT"));   // as if the process died before the last file
        assertEquals(1, store.loadNewestValid().orElseThrow().modelVersion());
        Files.createDirectory(dir.resolve(".checkpoint-000000000009.tmp"));
        assertEquals(2, store.checkpointsNewestFirst().size(), "temporary directories are not checkpoints");
    }

    @Test
    void safetensorsRoundTripsFloat32AndFloat64() throws Exception {
        Map<String, SafeTensors.Tensor> tensors = new java.util.LinkedHashMap<>();
        tensors.put("a", SafeTensors.Tensor.f32(new long[] {2, 2}, new float[] {1, -2.5f, 3e-8f, Float.MAX_VALUE}));
        tensors.put("b", new SafeTensors.Tensor(new long[] {3}, new double[] {Math.PI, -0.1, 1e300}, true));
        byte[] file = SafeTensors.encode(tensors, Map.of("step", "7"));
        Map<String, SafeTensors.Tensor> back = SafeTensors.decode(file);
        assertArrayEquals(tensors.get("a").values(), back.get("a").values(), 0.0);
        assertArrayEquals(tensors.get("b").values(), back.get("b").values(), 0.0);
        assertArrayEquals(new long[] {2, 2}, back.get("a").shape());
        assertEquals("7", SafeTensors.metadata(file).get("step"));
    }
}
