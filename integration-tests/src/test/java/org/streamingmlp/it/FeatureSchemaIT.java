package org.streamingmlp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

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
 * The feature schema end to end, black-box against the packaged service and a real broker: records name their
 * fields ({@code x1}, {@code x2} numeric noise, {@code color} categorical), labels are class names, and the class
 * depends only on the colour, so only the embedding path can learn it. Predictions name their class; an unseen
 * colour is still answered; a missing field and an unknown class name become dead letters with their reasons.
 */
@QuarkusIntegrationTest
@TestProfile(FeatureSchemaIT.Profile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(ServiceAccessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeatureSchemaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String[] COLORS = {"red", "green", "blue"};
    /** The class of each colour: red is a cat, green a dog, blue a bird. */
    private static final String[] CLASSES = {"cat", "dog", "bird"};
    private static final int TRAINING_EXAMPLES = 3000;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("mlp.topics.train", "fs.train");
            config.put("mlp.topics.validation", "fs.validation");
            config.put("mlp.topics.predict", "fs.predict");
            config.put("mlp.topics.predictions", "fs.predictions");
            config.put("mlp.topics.metrics", "fs.metrics");
            config.put("mlp.topics.dlq", "fs.dlq");
            config.put("mlp.model.input-size", "2");
            config.put("mlp.model.output-size", "3");
            config.put("mlp.model.class-names", String.join(",", CLASSES));
            config.put("mlp.features.numeric", "x1,x2");
            config.put("mlp.features.categorical.color.values", String.join(",", COLORS));
            config.put("mlp.features.categorical.color.dimension", "4");
            config.put("mlp.optimizer.learning-rate", "0.01");
            // Not shorter: a report due before the messaging channels are wired stops the trainer thread (a startup
            // race of MetricsPublisher's emitter, seen on a loaded machine with 300ms).
            config.put("mlp.metrics.interval", "2s");
            return config;
        }
    }

    private static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka(KafkaBrokerResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String features(Random random, String color) {
        return String.format(Locale.ROOT, "{\"x1\":%.4f,\"x2\":%.4f,\"color\":\"%s\"}", random.nextGaussian(),
                random.nextGaussian(), color);
    }

    @Test
    @Order(1)
    void learnsThroughNamedFieldsAndAnswersWithClassNames() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < TRAINING_EXAMPLES; i++) {
            int c = random.nextInt(3);
            // a few weighted examples, and some that weigh nothing, go through the weighted step
            String weight = i % 10 == 0 ? ",\"weight\":2.0" : i % 10 == 1 ? ",\"weight\":0" : "";
            kafka.send("fs.train", "e-" + i, "{\"id\":\"e-" + i + "\",\"features\":" + features(random, COLORS[c])
                    + ",\"label\":\"" + CLASSES[c] + "\"" + weight + "}");
        }
        kafka.flush();
        try (KafkaConsumer<byte[], byte[]> metrics = kafka.reader("fs.metrics")) {
            List<ConsumerRecord<byte[], byte[]>> reports = TestKafka.readUntil(metrics,
                    rs -> !rs.isEmpty() && examplesSeen(rs.get(rs.size() - 1)) >= TRAINING_EXAMPLES, TIMEOUT);
            assertTrue(!reports.isEmpty() && examplesSeen(reports.get(reports.size() - 1)) >= TRAINING_EXAMPLES,
                    "the trainer did not see every example");
            JsonNode last = JSON.readTree(reports.get(reports.size() - 1).value());
            assertEquals(0, last.get("skippedUpdates").asLong(), "skipped updates in " + last);
        }

        Map<String, Integer> truth = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            int c = random.nextInt(3);
            truth.put("r-" + i, c);
            kafka.send("fs.predict", "r-" + i, "{\"id\":\"r-" + i + "\",\"features\":" + features(random, COLORS[c])
                    + "}");
        }
        kafka.send("fs.predict", "r-unseen", "{\"id\":\"r-unseen\",\"features\":" + features(random, "purple") + "}");
        kafka.flush();
        try (KafkaConsumer<byte[], byte[]> predictions = kafka.reader("fs.predictions")) {
            List<ConsumerRecord<byte[], byte[]>> answers = TestKafka.readUntil(predictions,
                    rs -> ids(rs).containsAll(truth.keySet()) && ids(rs).contains("r-unseen"), TIMEOUT);
            Map<String, JsonNode> byId = answers.stream().map(FeatureSchemaIT::json)
                    .collect(Collectors.toMap(p -> p.get("id").asText(), p -> p, (a, b) -> a));
            assertTrue(byId.keySet().containsAll(truth.keySet()), "unanswered requests");
            int correct = 0;
            for (Map.Entry<String, Integer> t : truth.entrySet()) {
                JsonNode p = byId.get(t.getKey());
                int predicted = p.get("prediction").asInt();
                assertEquals(CLASSES[predicted], p.get("className").asText(), "className beside the index in " + p);
                if (predicted == t.getValue()) {
                    correct++;
                }
            }
            assertTrue(correct >= 95, "only " + correct + " of 100 right: the colour decides the class");
            JsonNode unseen = byId.get("r-unseen");
            assertTrue(unseen != null, "the request with an unseen colour was not answered");
            double sum = 0;
            for (JsonNode q : unseen.get("probabilities")) {
                assertTrue(Double.isFinite(q.asDouble()), "non-finite probability in " + unseen);
                sum += q.asDouble();
            }
            assertEquals(1.0, sum, 1e-4, "probabilities of " + unseen);
            assertTrue(Set.of(CLASSES).contains(unseen.get("className").asText()), unseen.toString());
        }

        given().contentType("application/json")
                .body("[{\"id\":\"h-1\",\"features\":{\"x1\":0.3,\"x2\":-0.2,\"color\":\"green\"}},"
                        + "{\"id\":\"h-2\",\"features\":{\"color\":\"blue\",\"x2\":1.0,\"x1\":0.0,\"note\":\"ignored\"}}]")
                .when().post("/predict")
                .then().statusCode(200).body("", hasSize(2))
                .body("[0].className", equalTo("dog")).body("[1].className", equalTo("bird"));
        given().contentType("application/json").body("{\"features\":{\"x1\":0.3,\"color\":\"green\"}}")
                .when().post("/predict")
                .then().statusCode(400).body("reason", equalTo("missing-feature"));
        String metrics = given().port(ServiceAccessResource.managementPort()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("mlp_features_unseen_categories_total{field=\"color\"}"),
                "no unseen-category counter for color on /q/metrics");
    }

    @Test
    @Order(2)
    void sendsMissingFieldsUnknownClassNamesAndBadWeightsToTheDeadLetterTopic() throws Exception {
        Map<String, String> expected = Map.of(
                "bad-missing", "missing-feature",
                "bad-label", "unknown-label",
                "bad-category", "invalid-category",
                "bad-weight", "invalid-weight",
                "bad-array", "missing-features",
                "bad-request", "missing-feature");
        kafka.send("fs.train", "bad-missing", "{\"features\":{\"x1\":1,\"color\":\"red\"},\"label\":\"cat\"}");
        kafka.send("fs.train", "bad-label", "{\"features\":{\"x1\":1,\"x2\":2,\"color\":\"red\"},\"label\":\"cow\"}");
        kafka.send("fs.train", "bad-category", "{\"features\":{\"x1\":1,\"x2\":2,\"color\":7},\"label\":\"cat\"}");
        kafka.send("fs.validation", "bad-weight",
                "{\"features\":{\"x1\":1,\"x2\":2,\"color\":\"red\"},\"label\":\"cat\",\"weight\":-1}");
        kafka.send("fs.train", "bad-array", "{\"features\":[1,2],\"label\":0}");
        kafka.send("fs.predict", "bad-request", "{\"id\":\"b\",\"features\":{\"x1\":1,\"x2\":2}}");
        kafka.flush();
        try (KafkaConsumer<byte[], byte[]> dlq = kafka.reader("fs.dlq")) {
            List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.readUntil(dlq,
                    rs -> keys(rs).containsAll(expected.keySet()), TIMEOUT);
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = letters.stream()
                    .collect(Collectors.toMap(r -> TestKafka.text(r.key()), r -> r, (a, b) -> a));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                ConsumerRecord<byte[], byte[]> letter = byKey.get(e.getKey());
                assertTrue(letter != null, "no dead letter for " + e.getKey());
                assertEquals(e.getValue(), TestKafka.header(letter, "dead-letter-reason"), e.getKey());
                assertTrue(TestKafka.header(letter, "dead-letter-topic").startsWith("fs."), e.getKey());
            }
            assertTrue(keys(letters).stream().noneMatch(k -> k.startsWith("e-") || k.startsWith("r-")),
                    "a good record went to the dead-letter topic");
        }
    }

    private static long examplesSeen(ConsumerRecord<byte[], byte[]> report) {
        JsonNode node = json(report);
        return node.has("examplesSeen") ? node.get("examplesSeen").asLong() : -1;
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> json(r).path("id").asText("")).collect(Collectors.toSet());
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> TestKafka.text(r.key())).collect(Collectors.toSet());
    }
}
