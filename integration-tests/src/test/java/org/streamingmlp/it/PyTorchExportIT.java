package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;
import org.streamingmlp.tools.ExportCommand;

/**
 * The README's PyTorch snippet, as it stands in the README, loads what a running service exports ({@code export
 * --url}, i.e. {@code GET /model/export}) with {@code torch} alone, and the PyTorch model it builds gives the
 * service's answers: for records the service answers over HTTP, the same class probabilities (float32 rounding apart)
 * from the same model version. The model has batch normalisation, GELU and standardised features, so every part of
 * the snippet that a numeric model uses is exercised.
 *
 * <p>Runs where {@code /usr/bin/python3} (Debian's, where {@code python3-torch} installs; a pyenv shim may shadow
 * {@code python3}) imports {@code torch}; skipped, saying so, elsewhere.
 */
class PyTorchExportIT {

    static final String PYTHON = "/usr/bin/python3";
    private static final Path WORK = Path.of("target", "pytorch-export-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 1920;
    /** float32 forward passes of ND4J and PyTorch, summing in different orders. */
    private static final double TOLERANCE = 2e-6;

    /** Skipped without torch, unless {@code MLP_PYTORCH_TESTS=required} (set by {@code .ci/run}): then it fails. */
    @BeforeAll
    static void needsTorch() throws Exception {
        needs(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing: apt-get install python3 python3-torch");
        Process probe = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        needs(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
                PYTHON + " cannot import torch (apt-get install python3-torch): " + output.strip());
    }

    private static void needs(boolean condition, String reason) {
        if (!condition && "required".equals(System.getenv("MLP_PYTORCH_TESTS"))) {
            throw new IllegalStateException("MLP_PYTORCH_TESTS=required, but " + reason);
        }
        assumeTrue(condition, reason);
    }

    @Test
    void theReadmeSnippetLoadsTheExportAndAnswersAsTheService() throws Exception {
        ServiceProcess.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("mlp.model.normalization", "batch-norm");
            config.put("mlp.model.activation", "gelu");
            config.put("mlp.security.operator-endpoints", "open");   // export --url reads GET /model/export
            ServiceProcess.rejoinQuickly(config);
            try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve("service.log"))) {
                Blobs blobs = new Blobs(11);
                for (int i = 0; i < EXAMPLES; i++) {
                    kafka.send("mlp.train", null, Blobs.trainingRecord("t-" + i, blobs.next()));
                }
                kafka.flush();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                        assertEquals(EXAMPLES, JSON.readTree(service.get("/model")).at("/training/examplesSeen")
                                .asLong(), "not all examples learned; see " + service.log));

                // Records between the blobs as well as in them: probabilities far from 0 and 1 show any difference.
                List<float[]> probes = new ArrayList<>();
                Blobs requests = new Blobs(12, 1.5, 0);
                for (int i = 0; i < 12; i++) {
                    probes.add(requests.next().features());
                }
                // The export and the answers must come from one model version: the last snapshot may be published
                // just after the last example was counted, so both are taken again until they agree.
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).untilAsserted(() -> {
                    Path tensors = ExportCommand.run(List.of("--url", service.uri("").toString(),
                            "--out", WORK.resolve("model").toString()));
                    long exported = JSON.readTree(WORK.resolve("model.json").toFile()).get("modelVersion").asLong();
                    List<JsonNode> answers = answer(service, probes);
                    for (JsonNode a : answers) {
                        assertEquals(exported, a.get("modelVersion").asLong(), "answer and " + tensors);
                    }
                    compare(answers, runReadmeSnippet(probes));
                });
            }
        }
    }

    private static List<JsonNode> answer(ServiceProcess service, List<float[]> probes) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            var response = service.postJson("/predict",
                    Blobs.request("p-" + i, probes.get(i)).getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            answers.add(JSON.readTree(response.body()));
        }
        return answers;
    }

    private static void compare(List<JsonNode> answers, JsonNode torch) {
        assertEquals(answers.size(), torch.size(), torch::toString);
        double largest = 0;
        for (int i = 0; i < answers.size(); i++) {
            JsonNode service = answers.get(i).get("probabilities");
            JsonNode row = torch.get(i);
            assertEquals(service.size(), row.size(), "probe " + i);
            int best = 0;
            for (int c = 0; c < row.size(); c++) {
                double expected = service.get(c).asDouble();
                largest = Math.max(largest, Math.abs(expected - row.get(c).asDouble()));
                assertEquals(expected, row.get(c).asDouble(), TOLERANCE,
                        "probe " + i + " class " + c + ": service " + service + ", PyTorch " + row);
                best = row.get(c).asDouble() > row.get(best).asDouble() ? c : best;
            }
            assertEquals(answers.get(i).get("prediction").asInt(), best, "probe " + i + ": the class answered");
        }
        System.out.printf("PyTorchExportIT: %d records, largest difference of a probability %.2e%n", answers.size(),
                largest);
    }

    /** Runs the README's snippet in WORK (where model.safetensors and model.json are), then predict(probes). */
    private static JsonNode runReadmeSnippet(List<float[]> probes) throws IOException, InterruptedException {
        Path script = WORK.resolve("readme_snippet.py");
        Files.writeString(script, readmeSnippet() + "\n\nimport sys\nprobes = json.load(open(sys.argv[1]))\n"
                + "print(json.dumps(predict(probes).tolist()))\n");
        // The features as the requests wrote them (5 decimals), so both read the same numbers.
        Path input = Files.writeString(WORK.resolve("probes.json"),
                "[" + String.join(",", probes.stream().map(Blobs::json).toList()) + "]");
        Process python = new ProcessBuilder(PYTHON, script.getFileName().toString(), input.getFileName().toString())
                .directory(WORK.toFile()).redirectError(WORK.resolve("python.err").toFile()).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, python.exitValue(), "the README's snippet failed: " + Files.readString(
                WORK.resolve("python.err")));
        return JSON.readTree(output);
    }

    /** The first python block after the README's "In PyTorch, with nothing but `torch`". */
    static String readmeSnippet() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int anchor = readme.indexOf("In PyTorch, with nothing but `torch`");
        assertTrue(anchor >= 0, "the README has no PyTorch snippet");
        int start = readme.indexOf("```python\n", anchor) + "```python\n".length();
        return readme.substring(start, readme.indexOf("\n```", start));
    }
}
