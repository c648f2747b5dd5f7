package org.streamingmlp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.streamingmlp.testing.KafkaBrokerResource;

/**
 * Early stopping and re-arming after drift, black-box against the packaged service and a real broker.
 * Training data is sent in rounds of ten batches, and the service snapshots and evaluates every ten steps, so
 * every evaluated model is a published version this test has probed: it can check that the model restored by
 * early stopping answers exactly as the best version did.
 */
@QuarkusIntegrationTest
@TestProfile(EarlyStoppingAndDriftIT.Profile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(ServiceAccessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EarlyStoppingAndDriftIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 32;
    private static final int STEPS_PER_ROUND = 10;
    private static final double NOISE = 1.0;
    /** Validation accuracy the model must regain on the drifted concept (Bayes accuracy is about 0.95). */
    private static final double RECOVERED_ACCURACY = 0.85;
    private static final String PROBE = "[" + String.join(",",
            "{\"features\":[2,0,-1,1]}", "{\"features\":[-2,1,1,-1]}", "{\"features\":[0,-2,2,0]}",
            "{\"features\":[0,0,0,0]}", "{\"features\":[1,-1,0.5,0.5]}", "{\"features\":[-1,0.5,1.5,-0.5]}") + "]";

    static final java.nio.file.Path CHECKPOINTS = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
            "streaming-mlp-it-" + java.util.UUID.randomUUID());

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("mlp.topics.train", "es.train");
            config.put("mlp.topics.validation", "es.validation");
            config.put("mlp.topics.predict", "es.predict");
            config.put("mlp.topics.predictions", "es.predictions");
            config.put("mlp.topics.metrics", "es.metrics");
            config.put("mlp.topics.dlq", "es.dlq");
            config.put("mlp.training.batch-size", Integer.toString(BATCH));
            config.put("mlp.training.max-batch-wait", "2s");
            config.put("mlp.training.snapshot-every-steps", Integer.toString(STEPS_PER_ROUND));
            config.put("mlp.training.validate-every-steps", Integer.toString(STEPS_PER_ROUND));
            config.put("mlp.training.validation-window", "300");
            config.put("mlp.early-stopping.patience", "5");
            config.put("mlp.early-stopping.min-delta", "0.002");
            config.put("mlp.metrics.interval", "300ms");
            // Exercised here too: the restored best model must come back with the scaling it was trained under.
            config.put("mlp.training.standardize-features", "true");
            config.put("mlp.checkpoint.dir", CHECKPOINTS.toString());
            return config;
        }
    }

    private static TestKafka kafka;
    private static KafkaConsumer<byte[], byte[]> metrics;
    private static final Map<Long, double[]> probedByVersion = new HashMap<>();

    @BeforeAll
    static void connect() {
        kafka = new TestKafka(KafkaBrokerResource.bootstrapServers());
        metrics = kafka.reader("es.metrics");
    }

    @AfterAll
    static void disconnect() {
        metrics.close();
        kafka.close();
    }

    @Test
    @Order(1)
    void stopsOnAPlateauRestoresTheBestModelAndPublishesAnEvent() throws Exception {
        Blobs train = new Blobs(21, NOISE, 0);
        Blobs valid = new Blobs(22, NOISE, 0);
        for (int i = 0; i < 300; i++) {
            kafka.send("es.validation", "v-" + i, Blobs.trainingRecord("v-" + i, valid.next()));
        }
        kafka.flush();
        JsonNode stop = null;
        long expectedStep = 0;
        for (int round = 0; round < 300 && stop == null; round++) {
            for (int i = 0; i < BATCH * STEPS_PER_ROUND; i++) {
                sendTraining(Blobs.trainingRecord("t-" + round + "-" + i, train.next()));
            }
            kafka.flush();
            expectedStep += STEPS_PER_ROUND;
            JsonNode model = awaitModel(expectedStep);
            probe();
            stop = event("early-stopping");
            if (stop == null && model.at("/training/earlyStopping/phase").asText().equals("frozen")) {
                stop = awaitEvent("early-stopping");
            }
        }
        assertNotNull(stop, "early stopping never fired on a plateauing validation stream");
        long bestVersion = stop.get("bestModelVersion").asLong();
        assertTrue(probedByVersion.containsKey(bestVersion), "the best version " + bestVersion + " was never probed");
        JsonNode after = predictProbe();
        assertEquals(stop.get("modelVersion").asLong(), after.get(0).get("modelVersion").asLong(),
                "predictions after the stop come from the restored snapshot");
        assertArrayEquals(probedByVersion.get(bestVersion), probabilities(after), 0.0,
                "the restored model answers exactly as the best version did");

        long frozenStep = model().at("/training/step").asLong();
        for (int i = 0; i < 1000; i++) {
            sendTraining(Blobs.trainingRecord("f-" + i, train.next()));
        }
        kafka.flush();
        JsonNode frozen = awaitModel(m -> m.at("/training/examplesIgnoredWhileFrozen").asLong() >= 1000);
        assertEquals(frozenStep, frozen.at("/training/step").asLong(), "the model learned while frozen");
        assertEquals("frozen", frozen.at("/training/earlyStopping/phase").asText());
    }

    @Test
    @Order(2)
    void resumesAfterDriftAndRecoversValidationAccuracy() throws Exception {
        Blobs train = new Blobs(31, NOISE, 1);
        Blobs valid = new Blobs(32, NOISE, 1);
        JsonNode drift = null;
        for (int round = 0; round < 40 && drift == null; round++) {
            for (int i = 0; i < 100; i++) {
                kafka.send("es.validation", null, Blobs.trainingRecord("dv-" + round + "-" + i, valid.next()));
            }
            for (int i = 0; i < BATCH * STEPS_PER_ROUND; i++) {
                sendTraining(Blobs.trainingRecord("d-" + round + "-" + i, train.next()));
            }
            kafka.flush();
            drift = awaitEventOrNull("drift", Duration.ofSeconds(2));
        }
        assertNotNull(drift, "no drift event after the concept changed in both streams");

        double accuracy = 0;
        for (int round = 0; round < 100 && accuracy < RECOVERED_ACCURACY; round++) {
            for (int i = 0; i < 30; i++) {
                kafka.send("es.validation", null, Blobs.trainingRecord("rv-" + round + "-" + i, valid.next()));
            }
            for (int i = 0; i < BATCH * STEPS_PER_ROUND; i++) {
                sendTraining(Blobs.trainingRecord("r-" + round + "-" + i, train.next()));
            }
            kafka.flush();
            // The accuracy after this round: the trainer evaluates as it steps, so once it has taken in every
            // training example sent so far it has evaluated the model this round's data made.
            accuracy = awaitModel(m -> m.at("/training/examplesSeen").asLong() >= trainingSent)
                    .at("/training/validationAccuracy").asDouble(0);
        }
        assertTrue(accuracy >= RECOVERED_ACCURACY, "validation accuracy recovered only to " + accuracy);
        JsonNode model = model();
        assertTrue(model.at("/training/earlyStopping/round").asInt() >= 2, "no new early-stopping round: " + model);
        assertTrue(model.at("/training/driftEvents").asLong() >= 1);
    }

    @Test
    @Order(3)
    void writesACheckpointOnRequest() throws Exception {
        String body = given().auth().oauth2(TestTokens.admin()).when().post("/model/checkpoint").then().statusCode(200).extract().asString();
        java.nio.file.Path written = java.nio.file.Path.of(JSON.readTree(body).get("checkpoint").asText());
        assertTrue(written.startsWith(CHECKPOINTS), written + " is not under " + CHECKPOINTS);
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "state.json", "COMMIT")) {
            assertTrue(java.nio.file.Files.isRegularFile(written.resolve(file)), "no " + file + " in " + written);
        }
    }

    private static void probe() throws Exception {
        JsonNode answers = predictProbe();
        probedByVersion.putIfAbsent(answers.get(0).get("modelVersion").asLong(), probabilities(answers));
    }

    private static JsonNode predictProbe() throws Exception {
        String body = given().contentType("application/json").body(PROBE).when().post("/predict")
                .then().statusCode(200).extract().asString();
        JsonNode answers = JSON.readTree(body);
        long version = answers.get(0).get("modelVersion").asLong();
        for (JsonNode answer : answers) {
            assertEquals(version, answer.get("modelVersion").asLong(), "one request, one snapshot");
        }
        return answers;
    }

    private static double[] probabilities(JsonNode answers) {
        double[] all = new double[answers.size() * Blobs.CLASSES];
        int k = 0;
        for (JsonNode answer : answers) {
            for (JsonNode p : answer.get("probabilities")) {
                all[k++] = p.asDouble();
            }
        }
        return all;
    }

    private static JsonNode model() throws Exception {
        return JSON.readTree(given().auth().oauth2(TestTokens.operator()).when().get("/model").then().statusCode(200).extract().asString());
    }

    private static JsonNode awaitModel(long step) throws Exception {
        return awaitModel(m -> m.at("/training/step").asLong() >= step
                || m.at("/training/earlyStopping/phase").asText().equals("frozen"));
    }

    private static JsonNode awaitModel(java.util.function.Predicate<JsonNode> done) {
        AtomicReference<JsonNode> model = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    model.set(model());
                    assertTrue(done.test(model.get()), "the service did not get there: " + model.get());
                });
        return model.get();
    }

    /** Training examples this class has sent to {@code es.train}: the service's trainer reads nothing else. */
    private static long trainingSent;

    private static void sendTraining(String record) {
        kafka.send("es.train", null, record);
        trainingSent++;
    }

    private static final List<JsonNode> events = new java.util.ArrayList<>();

    /** The first event of this type seen so far on the metrics topic, or null. */
    private static JsonNode event(String type) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : metrics.poll(Duration.ofMillis(50))) {
            events.add(JSON.readTree(record.value()));
        }
        return events.stream().filter(e -> e.get("type").asText().equals(type)).findFirst().orElse(null);
    }

    private static JsonNode awaitEvent(String type) throws Exception {
        JsonNode event = awaitEventOrNull(type, Duration.ofSeconds(30));
        assertNotNull(event, "no " + type + " event on the metrics topic");
        return event;
    }

    private static JsonNode awaitEventOrNull(String type, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode event = event(type);
        while (event == null && System.nanoTime() < deadline) {
            event = event(type);
        }
        return event;
    }
}
