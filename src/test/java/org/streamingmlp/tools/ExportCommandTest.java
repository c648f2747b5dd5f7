package org.streamingmlp.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.checkpoint.SafeTensors;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;

/**
 * {@code export --checkpoint}: the exported tensors rebuild a model that answers exactly as the trained one, and the
 * description says what the tensors are.
 */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void theExportedTensorsAreTheTrainedModel() throws Exception {
        MlpConfig model = new MlpConfig(5, List.of(8, 8), 3, Activation.RELU, 0.01, 0.0, Normalization.BATCH_NORM);
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(model));
        Random random = new Random(5);
        float[][] probe = new float[4][5];
        for (int s = 0; s < 30; s++) {
            float[][] x = new float[16][5];
            int[] y = new int[16];
            for (int i = 0; i < 16; i++) {
                y[i] = random.nextInt(3);
                for (int j = 0; j < 5; j++) {
                    x[i][j] = (float) (random.nextGaussian() + (j == y[i] ? 2 : 0));
                }
            }
            learner.learnMany(x, new Targets.Classes(y));
            probe = x;
        }
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
        Path checkpoints = Files.createDirectory(dir.resolve("checkpoints"));
        new CheckpointStore(checkpoints, 3).write(new Checkpoint(17, 480, new Checkpoint.Learning(
                learner.trainingState(), 0, learner.parameterShapes(), monitor.state()),
                new Checkpoint.Positions(Map.of(), Map.of()),
                new TreeMap<>(Map.of("mlp.model.input-size", "5", "mlp.model.hidden-sizes", "8,8"))));

        Path written = ExportCommand.run(List.of("--checkpoint", checkpoints.toString(), "--out",
                dir.resolve("exported").toString()));

        byte[] file = Files.readAllBytes(written);
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.decode(file);
        Map<String, float[]> parameters = new LinkedHashMap<>();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (learner.parameterShapes().containsKey(name)) {
                assertArrayEquals(learner.parameterShapes().get(name), t.shape(), name);
                parameters.put(name, t.floats());
            } else {
                buffers.put(name, t.values());
            }
        });
        ModelSnapshot rebuilt = ModelSnapshot.of(17, learner.step(), learner.config(), parameters, buffers);
        float[][] expected = learner.snapshot(17).predict(probe);
        float[][] actual = rebuilt.predict(probe);
        for (int i = 0; i < probe.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0f, "row " + i);
        }

        JsonNode description = new ObjectMapper().readTree(dir.resolve("exported.json").toFile());
        assertEquals(17, description.get("modelVersion").asLong());
        assertEquals(learner.step(), description.get("step").asLong());
        assertEquals("8,8", description.at("/configuration/mlp.model.hidden-sizes").asText());
        assertEquals(8, description.at("/tensors/fc1.weight/0").asInt());
        assertEquals(5, description.at("/tensors/fc1.weight/1").asInt());
    }

    @Test
    void anEmptyDirectoryIsAnError() {
        Exception e = assertThrows(java.io.IOException.class, () -> ExportCommand.run(List.of("--checkpoint",
                dir.toString(), "--out", dir.resolve("x").toString())));
        assertEquals("no valid checkpoint under " + dir, e.getMessage());
    }
}
