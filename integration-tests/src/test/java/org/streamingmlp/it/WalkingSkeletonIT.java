package org.streamingmlp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.streamingmlp.checkpoint.ModelExport;
import org.streamingmlp.checkpoint.SafeTensors;
import org.streamingmlp.testing.KafkaBrokerResource;

/**
 * The whole path, black-box: the packaged service runs as its own process against a real Kafka broker;
 * this test talks to it only through topics and HTTP, as a user would.
 */
@QuarkusIntegrationTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(ServiceAccessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka(KafkaBrokerResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    @Order(1)
    void learnsFromTheTrainingTopicAndAnswersEveryPredictionRequest() throws Exception {
        Blobs blobs = new Blobs(7);
        for (int i = 0; i < 2000; i++) {
            kafka.send("mlp.train", "e-" + i, Blobs.trainingRecord("e-" + i, blobs.next()));
        }
        for (int i = 0; i < 200; i++) {
            kafka.send("mlp.validation", "v-" + i, Blobs.trainingRecord("v-" + i, blobs.next()));
        }
        kafka.flush();

        try (KafkaConsumer<byte[], byte[]> metrics = kafka.reader("mlp.metrics")) {
            List<ConsumerRecord<byte[], byte[]>> reports = TestKafka.readUntil(metrics,
                    rs -> !rs.isEmpty() && examplesSeen(rs.get(rs.size() - 1)) >= 2000, TIMEOUT);
            assertTrue(!reports.isEmpty(), "no metrics report was published");
            JsonNode last = JSON.readTree(reports.get(reports.size() - 1).value());
            assertTrue(last.get("examplesSeen").asLong() >= 2000, "the trainer saw only " + last);
            assertTrue(last.get("step").asLong() > 0, "no optimizer step in " + last);
            assertTrue(last.get("trainLoss").isNumber(), "no training loss in " + last);
            // three separable blobs: every example predicted before it was learned, well above chance (1/3)
            assertTrue(last.get("prequentialAccuracy").asDouble() > 0.6, "prequential accuracy in " + last);
            assertTrue(last.get("prequentialKappa").asDouble() > 0.4, "prequential kappa in " + last);
            assertTrue(last.get("fadingPrequentialAccuracy").isNumber(), "no fading accuracy in " + last);
            assertTrue(last.has("examplesPerSecond"), "no throughput in " + last);
            assertTrue(last.at("/consumerLag/training").isNumber(), "no consumer lag in " + last);
        }

        Map<String, Integer> truth = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            Blobs.Example e = blobs.next();
            truth.put("r-" + i, e.label());
            kafka.send("mlp.predict", "key-" + i, Blobs.request("r-" + i, e.features()));
        }
        kafka.flush();

        try (KafkaConsumer<byte[], byte[]> predictions = kafka.reader("mlp.predictions")) {
            List<ConsumerRecord<byte[], byte[]>> answers = TestKafka.readUntil(predictions,
                    rs -> ids(rs).containsAll(truth.keySet()), TIMEOUT);
            assertTrue(ids(answers).containsAll(truth.keySet()),
                    "missing predictions for " + missing(truth.keySet(), ids(answers)));
            int correct = 0;
            long lastVersion = 0;
            for (ConsumerRecord<byte[], byte[]> record : answers) {
                JsonNode p = JSON.readTree(record.value());
                String id = p.get("id").asText();
                if (!truth.containsKey(id)) {
                    continue;
                }
                assertEquals("key-" + id.substring(2), TestKafka.text(record.key()), "key not echoed for " + id);
                JsonNode probabilities = p.get("probabilities");
                assertEquals(Blobs.CLASSES, probabilities.size(), "probabilities of " + id);
                double sum = 0;
                for (JsonNode q : probabilities) {
                    sum += q.asDouble();
                }
                assertEquals(1.0, sum, 1e-4, "probabilities of " + id + " sum to " + sum);
                long version = p.get("modelVersion").asLong();
                assertTrue(version > 1, "prediction " + id + " came from the untrained model");
                lastVersion = Math.max(lastVersion, version);
                if (p.get("prediction").asInt() == truth.get(id)) {
                    correct++;
                }
            }
            assertTrue(correct >= 90, "only " + correct + " of 100 predictions are right");
        }
    }

    /** Kinds of bad record, each with the reason the service must give. */
    private static final String[][] BAD_KINDS = {
            {"{not json", "undecodable"},
            {"[1,2,3,4]", "undecodable"},
            {"", "undecodable"},
            {"{\"id\":\"x\",\"label\":1}", "missing-features"},
            {"{\"features\":\"1,2,3,4\",\"label\":1}", "missing-features"},
            {"{\"features\":[1,2,3],\"label\":1}", "wrong-feature-count"},
            {"{\"features\":[1,2,3,4,5],\"label\":1}", "wrong-feature-count"},
            {"{\"features\":[1,\"a\",3,4],\"label\":1}", "non-numeric-feature"},
            {"{\"features\":[1,null,3,4],\"label\":1}", "non-numeric-feature"},
            {"{\"features\":[1,1e999,3,4],\"label\":1}", "non-finite-feature"},
            {"{\"features\":[1,2,-4e38,4],\"label\":1}", "non-finite-feature"},
            {"{\"features\":[1,2,3,4]}", "missing-label"},
            {"{\"features\":[1,2,3,4],\"label\":7}", "invalid-label"},
            {"{\"features\":[1,2,3,4],\"label\":-1}", "invalid-label"},
            {"{\"features\":[1,2,3,4],\"label\":1.5}", "invalid-label"},
            {"{\"id\":{\"a\":1},\"features\":[1,2,3,4],\"label\":1}", "invalid-id"},
            {"{\"features\":[1,2,3,4],\"label\":1,\"pad\":\"" + "x".repeat(300_000) + "\"}", "oversized"},
    };

    @Test
    @Order(2)
    void sendsEveryBadRecordToTheDeadLetterTopicAndAnswersEveryGoodRequest() throws Exception {
        Blobs blobs = new Blobs(11);
        Map<String, String> expectedReason = new HashMap<>();
        Map<String, String> originalValue = new HashMap<>();
        Set<String> goodRequests = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String[] kind = BAD_KINDS[i % BAD_KINDS.length];
            boolean request = i % 4 == 0;   // a quarter of the bad records are prediction requests
            String key = "bad-" + i;
            expectedReason.put(key, request && kind[1].endsWith("label") ? null : kind[1]);
            originalValue.put(key, kind[0]);
            kafka.send(request ? "mlp.predict" : "mlp.train", key, kind[0]);
            if (i % 2 == 0) {
                kafka.send("mlp.train", "good-train-" + i, Blobs.trainingRecord("gt-" + i, blobs.next()));
            } else {
                goodRequests.add("g-" + i);
                kafka.send("mlp.predict", "good-" + i, Blobs.request("g-" + i, blobs.next().features()));
            }
        }
        kafka.flush();
        // A label is not part of a request: those "bad" requests are good ones and must be answered.
        expectedReason.values().removeIf(java.util.Objects::isNull);

        try (KafkaConsumer<byte[], byte[]> dlq = kafka.reader("mlp.dlq")) {
            List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.readUntil(dlq,
                    rs -> keys(rs).containsAll(expectedReason.keySet()), TIMEOUT);
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = letters.stream()
                    .collect(Collectors.toMap(r -> TestKafka.text(r.key()), r -> r, (a, b) -> a));
            assertTrue(byKey.keySet().containsAll(expectedReason.keySet()), "missing dead letters for "
                    + missing(expectedReason.keySet(), byKey.keySet()));
            for (Map.Entry<String, String> expected : expectedReason.entrySet()) {
                ConsumerRecord<byte[], byte[]> letter = byKey.get(expected.getKey());
                assertEquals(expected.getValue(), TestKafka.header(letter, "dead-letter-reason"), expected.getKey());
                assertEquals(originalValue.get(expected.getKey()), TestKafka.text(letter.value()),
                        "original bytes kept for " + expected.getKey());
                assertTrue(TestKafka.header(letter, "dead-letter-topic").startsWith("mlp."));
                assertTrue(TestKafka.header(letter, "dead-letter-partition").matches("\\d+"));
                assertTrue(TestKafka.header(letter, "dead-letter-offset").matches("\\d+"));
                assertTrue(TestKafka.header(letter, "dead-letter-cause") != null);
            }
            assertTrue(byKey.keySet().stream().filter(k -> k.startsWith("good")).findAny().isEmpty(),
                    "a good record went to the dead-letter topic");
        }
        Set<String> answeredLabelledRequests = new java.util.HashSet<>();
        originalValue.forEach((key, value) -> {
            if (!expectedReason.containsKey(key)) {
                answeredLabelledRequests.add(key);
            }
        });
        try (KafkaConsumer<byte[], byte[]> predictions = kafka.reader("mlp.predictions")) {
            List<ConsumerRecord<byte[], byte[]>> answers = TestKafka.readUntil(predictions,
                    rs -> ids(rs).containsAll(goodRequests)
                            && keys(rs).containsAll(answeredLabelledRequests), TIMEOUT);
            assertTrue(ids(answers).containsAll(goodRequests),
                    "unanswered good requests: " + missing(goodRequests, ids(answers)));
            assertTrue(keys(answers).containsAll(answeredLabelledRequests));
            long previousVersion = 0;
            for (ConsumerRecord<byte[], byte[]> answer : answers) {   // one partition: in answer order
                JsonNode p = JSON.readTree(answer.value());
                long version = p.get("modelVersion").asLong();
                assertTrue(version >= previousVersion, "model version went down: " + previousVersion + " -> " + version);
                previousVersion = version;
                for (JsonNode q : p.get("probabilities")) {
                    assertTrue(Double.isFinite(q.asDouble()), "non-finite output in " + p);
                }
            }
        }
        String model = given().auth().oauth2(TestTokens.operator()).when().get("/model").then().statusCode(200).extract().asString();
        JsonNode training = JSON.readTree(model).get("training");
        assertEquals(0, training.get("skippedUpdates").asLong(), "a bad record reached the model: " + training);
        assertTrue(training.get("deadLetters").size() >= 9, "dead letters by reason: " + training.get("deadLetters"));
    }

    @Test
    @Order(3)
    void servesPredictionsModelStateHealthAndMetricsOverHttp() {
        given().contentType("application/json").body("{\"id\":\"h-1\",\"features\":[2,0,-1,1]}")
                .when().post("/predict")
                .then().statusCode(200).body("id", equalTo("h-1")).body("probabilities", hasSize(3));
        given().contentType("application/json")
                .body("[{\"id\":\"a\",\"features\":[2,0,-1,1]},{\"id\":\"b\",\"features\":[-2,1,1,-1]}]")
                .when().post("/predict")
                .then().statusCode(200).body("", hasSize(2)).body("[1].id", equalTo("b"));
        given().contentType("application/json").body("{\"features\":[1,2]}")
                .when().post("/predict")
                .then().statusCode(400).body("reason", equalTo("wrong-feature-count"));
        given().auth().oauth2(TestTokens.operator()).when().get("/model").then().statusCode(200)
                .body("trainerAlive", equalTo(true))
                .body("provenance.configHash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"))
                .body("provenance.offsets.'mlp.train-0'.first", equalTo(0))
                .body("provenance.versions.kafkaClients", equalTo("4.1.2"))
                .body("training.earlyStopping.patience", equalTo(5));
        management().get("/q/openapi").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/predict"));
        given().auth().oauth2(TestTokens.admin()).when().post("/model/checkpoint").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.containsString("mlp.checkpoint.dir"));
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("mlp_training_step"), "no training gauge on /q/metrics");
        assertTrue(metrics.contains("mlp_training_prequential_kappa"), "no prequential kappa gauge on /q/metrics");
        assertTrue(metrics.contains("mlp_dead_letters_total"), "no dead-letter counter on /q/metrics");
        // The API port serves none of the management endpoints.
        for (String path : List.of("/q/health", "/q/metrics", "/q/openapi")) {
            given().when().get(path).then().statusCode(404);
        }
    }

    /** The management interface (health, metrics, OpenAPI): its own port. */
    private static io.restassured.specification.RequestSpecification management() {
        return given().port(ServiceAccessResource.managementPort()).when();
    }

    @Test
    @Order(4)
    void exportsTheAnsweringModelAsSafetensorsWithItsDescription() throws Exception {
        long before = given().auth().oauth2(TestTokens.operator()).when().get("/model").then().statusCode(200).extract().jsonPath()
                .getLong("modelVersion");
        byte[] file = given().auth().oauth2(TestTokens.operator()).when().get("/model/export").then().statusCode(200).extract().asByteArray();
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.decode(file);
        JsonNode description = ModelExport.description(file);
        assertTrue(description.get("modelVersion").asLong() >= before, "exported an older model: " + description);
        assertEquals(4, tensors.get("fc1.weight").shape()[1], "fc1.weight is [out, in] with in = 4 features");
        assertEquals(description.at("/configuration/mlp.model.input-size").asText(), "4");
        assertEquals(tensors.keySet(), fieldNames(description.get("tensors")));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long examplesSeen(ConsumerRecord<byte[], byte[]> report) {
        try {
            return JSON.readTree(report.value()).get("examplesSeen").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> {
            try {
                JsonNode id = JSON.readTree(r.value()).get("id");
                return id == null ? "" : id.asText();
            } catch (Exception e) {
                return "";
            }
        }).collect(Collectors.toSet());
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> TestKafka.text(r.key())).collect(Collectors.toSet());
    }

    private static Set<String> missing(Set<String> expected, Set<String> got) {
        return expected.stream().filter(id -> !got.contains(id)).collect(Collectors.toSet());
    }
}
