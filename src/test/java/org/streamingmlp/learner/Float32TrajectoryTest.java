package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * The production path (float32, public float[][] API) replays the golden trajectories within the files' float32
 * tolerance; and a checkpoint taken mid-run resumes to the same final parameters.
 */
class Float32TrajectoryTest {

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = Float32TrajectoryTest.class.getResourceAsStream("/conformance/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static double[] flat(JsonNode node) {
        List<Double> out = new ArrayList<>();
        collect(node, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add(node.asDouble());
        }
    }

    private static float[][] rows(JsonNode x) {
        float[][] out = new float[x.size()][];
        for (int i = 0; i < x.size(); i++) {
            double[] r = flat(x.get(i));
            out[i] = new float[r.length];
            for (int j = 0; j < r.length; j++) {
                out[i][j] = (float) r[j];
            }
        }
        return out;
    }

    private static OnlineLearner learner(JsonNode root, DataType type) {
        boolean layerNorm = root.get("family").asText().contains("layernorm");
        MlpConfig model = new MlpConfig(6, List.of(8, 8), 3, Activation.RELU, 0.01, 0.0,
                layerNorm ? Normalization.LAYER_NORM : Normalization.NONE);
        TrainingConfig config = new TrainingConfig(model, LossKind.CROSS_ENTROPY,
                new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, true), new ScheduleConfig(0, 20, 0.0, false), 1.0, 1L,
                type);
        OnlineLearner learner = new OnlineLearner(config);
        Map<String, double[]> initial = new LinkedHashMap<>();
        root.get("initial_params").fields().forEachRemaining(e -> initial.put(e.getKey(), flat(e.getValue())));
        learner.loadParameters(initial);
        return learner;
    }

    private static StepResult learn(OnlineLearner learner, JsonNode batch) {
        double[] y = flat(batch.get("y"));
        int[] labels = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            labels[i] = (int) y[i];
        }
        return learner.learnMany(rows(batch.get("x")), new Targets.Classes(labels));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_trajectory.json", "mlp_layernorm_trajectory.json"})
    void float32ReplayWithinFloat32Tolerance(String file) throws IOException {
        JsonNode root = load(file);
        JsonNode tol = root.get("suggested_tolerance").get("float32");
        double rtol = tol.get("rtol").asDouble();
        double atol = tol.get("atol").asDouble();
        OnlineLearner learner = learner(root, DataType.FLOAT);
        JsonNode batches = root.get("batches");
        for (int s = 0; s < batches.size(); s++) {
            StepResult r = learn(learner, batches.get(s));
            double expected = root.get("log").get(s).get("loss").asDouble();
            assertTrue(Math.abs(r.loss() - expected) <= atol + rtol * Math.abs(expected),
                    "step " + (s + 1) + " loss " + r.loss() + " vs " + expected);
        }
        Map<String, double[]> got = learner.parameterValues();
        root.get("final_params").fields().forEachRemaining(e -> {
            double[] exp = flat(e.getValue());
            double[] g = got.get(e.getKey());
            for (int i = 0; i < exp.length; i++) {
                assertTrue(Math.abs(g[i] - exp[i]) <= atol + rtol * Math.abs(exp[i]),
                        e.getKey() + "[" + i + "] " + g[i] + " vs " + exp[i]);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_trajectory.json", "mlp_layernorm_trajectory.json"})
    void checkpointResumesExactly(String file) throws IOException {
        JsonNode root = load(file);
        JsonNode batches = root.get("batches");
        OnlineLearner straight = learner(root, DataType.DOUBLE);
        OnlineLearner first = learner(root, DataType.DOUBLE);
        for (int s = 0; s < batches.size(); s++) {
            learn(straight, batches.get(s));
            if (s < 7) {
                learn(first, batches.get(s));
            }
        }
        TrainingState checkpoint = first.trainingState();
        OnlineLearner resumed = learner(root, DataType.DOUBLE);
        resumed.restoreTrainingState(checkpoint);
        assertEquals(7, resumed.step());
        for (int s = 7; s < batches.size(); s++) {
            learn(resumed, batches.get(s));
        }
        Map<String, double[]> a = straight.parameterValues();
        Map<String, double[]> b = resumed.parameterValues();
        a.forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, b.get(k), 0.0, k));
    }
}
