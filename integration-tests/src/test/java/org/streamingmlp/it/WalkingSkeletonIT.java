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
import org.streamingmlp.testing.KafkaBrokerResource;

/**
 * The whole path, black-box: the packaged service runs as its own process against a real Kafka broker;
 * this test talks to it only through topics and HTTP, as a user would.
 */
@QuarkusIntegrationTest
@WithTestResource(KafkaBrokerResource.class)
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
            assertTrue(last.has("examplesPerSecond"), "no throughput in " + last);
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

    @Test
    @Order(2)
    void sendsEachBadRecordToTheDeadLetterTopicWithItsReason() throws Exception {
        Map<String, String> bad = new HashMap<>();   // key -> expected reason
        bad.put("bad-json", "undecodable");
        bad.put("bad-array", "undecodable");
        bad.put("bad-nofeatures", "missing-features");
        bad.put("bad-count", "wrong-feature-count");
        bad.put("bad-text", "non-numeric-feature");
        bad.put("bad-inf", "non-finite-feature");
        bad.put("bad-nolabel", "missing-label");
        bad.put("bad-label", "invalid-label");
        bad.put("bad-fraction", "invalid-label");
        bad.put("bad-id", "invalid-id");
        Map<String, String> values = Map.of(
                "bad-json", "{not json",
                "bad-array", "[1,2,3,4]",
                "bad-nofeatures", "{\"id\":\"x\",\"label\":1}",
                "bad-count", "{\"features\":[1,2,3],\"label\":1}",
                "bad-text", "{\"features\":[1,\"a\",3,4],\"label\":1}",
                "bad-inf", "{\"features\":[1,1e999,3,4],\"label\":1}",
                "bad-nolabel", "{\"features\":[1,2,3,4]}",
                "bad-label", "{\"features\":[1,2,3,4],\"label\":7}",
                "bad-fraction", "{\"features\":[1,2,3,4],\"label\":1.5}",
                "bad-id", "{\"id\":{\"a\":1},\"features\":[1,2,3,4],\"label\":1}");
        Blobs blobs = new Blobs(11);
        for (String key : bad.keySet()) {
            kafka.send("mlp.train", key, values.get(key));
            kafka.send("mlp.train", "good-" + key, Blobs.trainingRecord("good-" + key, blobs.next()));
        }
        kafka.send("mlp.predict", "bad-request", "{\"id\":\"q\",\"features\":[1,2]}");
        kafka.send("mlp.predict", "good-request", Blobs.request("good-request", blobs.next().features()));
        kafka.flush();

        try (KafkaConsumer<byte[], byte[]> dlq = kafka.reader("mlp.dlq")) {
            List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.readUntil(dlq,
                    rs -> keys(rs).containsAll(bad.keySet()) && keys(rs).contains("bad-request"), TIMEOUT);
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = letters.stream()
                    .collect(Collectors.toMap(r -> TestKafka.text(r.key()), r -> r, (a, b) -> a));
            for (Map.Entry<String, String> expected : bad.entrySet()) {
                ConsumerRecord<byte[], byte[]> letter = byKey.get(expected.getKey());
                assertTrue(letter != null, "no dead letter for " + expected.getKey());
                assertEquals(expected.getValue(), TestKafka.header(letter, "dead-letter-reason"), expected.getKey());
                assertEquals(values.get(expected.getKey()), TestKafka.text(letter.value()), "original bytes kept");
                assertEquals("mlp.train", TestKafka.header(letter, "dead-letter-topic"));
                assertTrue(TestKafka.header(letter, "dead-letter-offset").matches("\\d+"));
                assertTrue(TestKafka.header(letter, "dead-letter-cause") != null);
            }
            ConsumerRecord<byte[], byte[]> request = byKey.get("bad-request");
            assertTrue(request != null, "no dead letter for the bad prediction request");
            assertEquals("wrong-feature-count", TestKafka.header(request, "dead-letter-reason"));
            assertEquals("mlp.predict", TestKafka.header(request, "dead-letter-topic"));
        }
        try (KafkaConsumer<byte[], byte[]> predictions = kafka.reader("mlp.predictions")) {
            List<ConsumerRecord<byte[], byte[]>> answers = TestKafka.readUntil(predictions,
                    rs -> ids(rs).contains("good-request"), TIMEOUT);
            assertTrue(ids(answers).contains("good-request"), "the good request among bad ones was not answered");
        }
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
        given().when().get("/model").then().statusCode(200).body("trainerAlive", equalTo(true));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("mlp_training_step"), "no training gauge on /q/metrics");
        assertTrue(metrics.contains("mlp_dead_letters_total"), "no dead-letter counter on /q/metrics");
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
