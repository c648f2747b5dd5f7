package org.streamingmlp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.testing.KafkaBrokerResource;

/**
 * The binary record encoding, black-box: the packaged service learns from binary training records, answers a
 * binary prediction request exactly as it answers the same request in JSON, and dead-letters bad binary records
 * with the JSON reasons. The service process and topics may be shared with other ITs: every key and id here
 * starts with "bin-", and nothing assumes a topic is empty.
 */
@QuarkusIntegrationTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(ServiceAccessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BinaryEncodingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int TRAINING_EXAMPLES = 900;
    private static final int PAIRS = 20;
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
    void learnsFromBinaryRecordsAndAnswersBinaryRequestsExactlyAsJsonOnes() throws Exception {
        long seenBefore = model().getLong("training.examplesSeen");
        Blobs blobs = new Blobs(23);
        for (int i = 0; i < TRAINING_EXAMPLES; i++) {
            Blobs.Example e = blobs.next();
            sendBinary("mlp.train", "bin-e-" + i, BinaryRecordEncoder.example("bin-e-" + i, e.features(), e.label()));
        }
        kafka.flush();
        long version = awaitStableModel(seenBefore + TRAINING_EXAMPLES);

        // Features on a 1/32 grid print exactly in the JSON (Blobs.json writes 5 decimals), so both encodings
        // carry the same floats. The predictor answers a polled batch in one forward pass, and BLAS may round a
        // row differently with the batch's size and the row's position; so each request goes alone and is
        // answered before the next, and both encodings of a pair meet the same computation.
        Map<String, String> pairs = new HashMap<>();    // JSON request id -> binary request id
        try (KafkaConsumer<byte[], byte[]> predictions = kafka.reader("mlp.predictions")) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                float[] features = onGrid(blobs.next().features());
                String jsonId = "bin-json-" + i;
                String binaryId = "bin-binary-" + i;
                kafka.send("mlp.predict", jsonId, Blobs.request(jsonId, features));
                kafka.flush();
                records.addAll(TestKafka.readUntil(predictions, rs -> answers(rs).containsKey(jsonId), TIMEOUT));
                sendBinary("mlp.predict", binaryId, BinaryRecordEncoder.request(binaryId, features));
                kafka.flush();
                records.addAll(TestKafka.readUntil(predictions, rs -> answers(rs).containsKey(binaryId), TIMEOUT));
                pairs.put(jsonId, binaryId);
            }
            Map<String, JsonNode> answers = answers(records);
            int sameVersion = 0;
            for (Map.Entry<String, String> pair : pairs.entrySet()) {
                JsonNode json = answers.get(pair.getKey());
                JsonNode binary = answers.get(pair.getValue());
                assertTrue(json != null && binary != null, "no answer for " + pair);
                assertTrue(json.get("modelVersion").asLong() >= version, "answered by an older model: " + json);
                if (json.get("modelVersion").asLong() != binary.get("modelVersion").asLong()) {
                    continue;
                }
                sameVersion++;
                assertEquals(json.get("prediction"), binary.get("prediction"), pair.toString());
                assertArrayEquals(doubles(json.get("probabilities")), doubles(binary.get("probabilities")),
                        "probabilities of " + pair);
            }
            // The model was stable, so all pairs should share a version; a stray snapshot may split a few.
            assertTrue(sameVersion >= PAIRS / 2, "only " + sameVersion + " of " + PAIRS
                    + " pairs were answered by the same model version");
        }
    }

    @Test
    @Order(2)
    void sendsBadBinaryRecordsToTheDeadLetterTopicWithTheirReason() throws Exception {
        float[] good = {2, 0, -1, 1};
        byte[] example = BinaryRecordEncoder.example("bin-x", good, 1);
        Map<String, String> reasons = new HashMap<>();      // key -> expected reason
        Map<String, byte[]> values = new HashMap<>();
        Map<String, String> topics = new HashMap<>();
        bad(reasons, values, topics, "bin-bad-truncated", "undecodable", "mlp.train",
                Arrays.copyOf(example, example.length - 1));
        bad(reasons, values, topics, "bin-bad-magic", "undecodable", "mlp.train",
                "{\"features\":[1,2,3,4],\"label\":1}".getBytes(StandardCharsets.UTF_8));
        bad(reasons, values, topics, "bin-bad-count", "wrong-feature-count", "mlp.train",
                BinaryRecordEncoder.example("bin-c", new float[] {1, 2, 3}, 1));
        bad(reasons, values, topics, "bin-bad-nan", "non-finite-feature", "mlp.train",
                BinaryRecordEncoder.example("bin-n", new float[] {1, Float.NaN, 3, 4}, 1));
        bad(reasons, values, topics, "bin-bad-class", "invalid-label", "mlp.train",
                BinaryRecordEncoder.example("bin-l", good, 7));
        bad(reasons, values, topics, "bin-bad-nolabel", "missing-label", "mlp.validation",
                BinaryRecordEncoder.request("bin-r", good));
        bad(reasons, values, topics, "bin-bad-request", "wrong-feature-count", "mlp.predict",
                BinaryRecordEncoder.request("bin-q", new float[] {1, 2}));
        for (String key : reasons.keySet()) {
            sendBinary(topics.get(key), key, values.get(key));
        }
        String unsupported = "{\"features\":[2,0,-1,1],\"label\":1}";
        kafka.send(withContentType("mlp.train", "bin-bad-format", unsupported.getBytes(StandardCharsets.UTF_8),
                "application/x-protobuf"));
        reasons.put("bin-bad-format", "unsupported-format");
        values.put("bin-bad-format", unsupported.getBytes(StandardCharsets.UTF_8));
        topics.put("bin-bad-format", "mlp.train");
        kafka.flush();

        try (KafkaConsumer<byte[], byte[]> dlq = kafka.reader("mlp.dlq")) {
            List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.readUntil(dlq,
                    rs -> keys(rs).containsAll(reasons.keySet()), TIMEOUT);
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = letters.stream()
                    .collect(Collectors.toMap(r -> TestKafka.text(r.key()), r -> r, (a, b) -> a));
            for (Map.Entry<String, String> expected : reasons.entrySet()) {
                String key = expected.getKey();
                ConsumerRecord<byte[], byte[]> letter = byKey.get(key);
                assertTrue(letter != null, "no dead letter for " + key);
                assertEquals(expected.getValue(), TestKafka.header(letter, "dead-letter-reason"), key);
                assertEquals(topics.get(key), TestKafka.header(letter, "dead-letter-topic"), key);
                assertArrayEquals(values.get(key), letter.value(), "original bytes kept for " + key);
                assertTrue(TestKafka.header(letter, RecordFormats.HEADER) != null, "content-type kept for " + key);
            }
        }
    }

    private static void bad(Map<String, String> reasons, Map<String, byte[]> values, Map<String, String> topics,
            String key, String reason, String topic, byte[] value) {
        reasons.put(key, reason);
        values.put(key, value);
        topics.put(key, topic);
    }

    private static void sendBinary(String topic, String key, byte[] value) {
        kafka.send(withContentType(topic, key, value, RecordFormats.BINARY));
    }

    private static ProducerRecord<byte[], byte[]> withContentType(String topic, String key, byte[] value,
            String contentType) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value);
        record.headers().add(RecordFormats.HEADER, contentType.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /**
     * Waits until the trainer has seen {@code examples} examples and its model version has not moved for two
     * seconds (no data left to learn); returns that version. The two seconds of quiet are the condition itself,
     * not a guess at how long something takes: every poll within them must see the same version.
     */
    private static long awaitStableModel(long examples) {
        AtomicLong version = new AtomicLong(-1);
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .during(Duration.ofSeconds(2))
                    .until(() -> {
                        JsonPath model = model();
                        last.set(model);
                        long now = model.getLong("modelVersion");
                        return version.getAndSet(now) == now && model.getLong("training.examplesSeen") >= examples;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the model did not settle after " + examples + " examples: "
                    + (last.get() == null ? "no answer from /model" : last.get().prettify()), e);
        }
        return version.get();
    }

    private static JsonPath model() {
        return given().auth().oauth2(TestTokens.operator()).when().get("/model").then().statusCode(200).extract().jsonPath();
    }

    private static float[] onGrid(float[] features) {
        float[] out = new float[features.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = Math.round(features[j] * 32) / 32f;
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    /** The answers among the records, by id; only ids of this test. */
    private static Map<String, JsonNode> answers(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                JsonNode answer = JSON.readTree(record.value());
                JsonNode id = answer.get("id");
                if (id != null && id.asText().startsWith("bin-")) {
                    byId.put(id.asText(), answer);
                }
            } catch (Exception e) {
                // not an answer of ours
            }
        }
        return byId;
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> TestKafka.text(r.key())).collect(Collectors.toSet());
    }
}
