package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;
import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.codec.RecordRules;
import org.streamingmlp.codec.RecordSchema;
import org.streamingmlp.codec.ValueLimits;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.InvalidRecordException;

/**
 * A fuzz run against the real broker: the same good records (JSON and binary) are learned by two fresh service
 * processes, the second with more than 10,000 random and mutated bad records (JSON and binary, on the training,
 * validation and request topics, seeded) mixed in, plus one 3 MB record that arrives gzip-compressed and is too
 * large to dead-letter whole. Then: the service is still up and ready, every bad record is in the dead-letter topic
 * exactly once with the reason the service's own validator gives it (read to the end offsets), every good request
 * is answered, the parameters and standardisation statistics are finite, and prequential accuracy on the good
 * records is within 0.01 of the clean run's. Batches are cut by size only (a one-hour max-batch-wait, one partition
 * per topic), and early stopping is off, so both runs learn the same batches whatever the timing.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261202L;
    private static final int GOOD_TRAINING = 40 * 32;   // whole batches of 32: the last one is learned too
    private static final int GOOD_VALIDATION = 300;
    private static final int GOOD_REQUESTS = 200;
    private static final Map<String, Integer> BAD = Map.of("train", 4000, "validation", 3000, "predict", 3050);
    private static final int OVERSIZED_BYTES = 3_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The service's rules with its defaults (input-size 4, output-size 3, cross-entropy): the oracle of badness. */
    private static final RecordFormats RULES = new RecordFormats(JSON, new RecordRules(4, 3, LossKind.CROSS_ENTROPY,
            262144, RecordSchema.NONE, ValueLimits.DEFAULT));

    /** A record to send, and the reason the validator gives it (null: a good record). */
    private record Input(String topic, String key, byte[] value, String contentType, String reason) {
    }

    @Test
    void aFuzzedServiceStaysUpDeadLettersEveryBadRecordAndLearnsAsWithoutThem() throws Exception {
        Path work = Path.of("target", "hostile-input-it");
        ServiceProcess.deleteRecursively(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Run clean = Run.prepare(broker, kafka, "clean", false);
            Run fuzzed = Run.prepare(broker, kafka, "fuzzed", true);
            assertTrue(fuzzed.bad.size() > 10_000, "only " + fuzzed.bad.size() + " bad records");
            // both start at once: on a loaded machine most of a run is the JVM's startup
            CompletableFuture<ServiceProcess> cleanService = CompletableFuture.supplyAsync(
                    () -> clean.start(broker, work.resolve("clean.log")));
            try (ServiceProcess fuzzedService = fuzzed.start(broker, work.resolve("fuzzed.log"));
                 ServiceProcess cleanProcess = cleanService.join()) {
                double fuzzedAccuracy = fuzzed.check(kafka, fuzzedService);
                checkHttpGuards(fuzzedService);
                double cleanAccuracy = clean.check(kafka, cleanProcess);
                assertTrue(cleanAccuracy > 0.5, "the clean run learned nothing: prequential accuracy "
                        + cleanAccuracy);
                System.out.printf("HostileInputIT: %d bad records dead-lettered; prequential accuracy clean %.5f, "
                        + "fuzzed %.5f%n", fuzzed.bad.size(), cleanAccuracy, fuzzedAccuracy);
                assertEquals(cleanAccuracy, fuzzedAccuracy, 0.01,
                        "prequential accuracy with and without the bad records");
                fuzzedService.management("/q/health/ready");   // 200 after all of it, or it throws with the failing checks
                assertTrue(fuzzedService.isAlive());
            }
        }
    }

    /** One service process on its own topics, with the records it will find there. */
    private record Run(String name, Map<String, String> topics, Map<String, Input> bad, byte[] oversized) {

        /** Creates the topics and sends the records (before the service starts: batches do not depend on timing). */
        static Run prepare(EmbeddedKafkaBroker broker, TestKafka kafka, String name, boolean withBad)
                throws Exception {
            Map<String, String> topics = new TreeMap<>();
            for (String t : List.of("train", "validation", "predict", "predictions", "metrics", "dlq")) {
                topics.put(t, name + "." + t);
            }
            createTopics(broker.bootstrapServers(), topics.values());
            Map<String, List<Input>> inputs = inputs(topics, withBad);
            Map<String, Input> bad = new HashMap<>();
            for (List<Input> list : inputs.values()) {
                for (Input input : list) {
                    if (input.reason() != null) {
                        bad.put(input.key(), input);
                    }
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(input.topic(),
                            input.key().getBytes(StandardCharsets.UTF_8), input.value());
                    if (input.contentType() != null) {
                        record.headers().add(RecordFormats.HEADER,
                                input.contentType().getBytes(StandardCharsets.UTF_8));
                    }
                    kafka.send(record);
                }
            }
            kafka.flush();
            byte[] oversized = null;
            if (withBad) {
                oversized = sendCompressedOversized(broker.bootstrapServers(), topics.get("train"));
                bad.put("oversized-gzip", new Input(topics.get("train"), "oversized-gzip", oversized, null,
                        "oversized"));
            }
            return new Run(name, topics, bad, oversized);
        }

        ServiceProcess start(EmbeddedKafkaBroker broker, Path log) {
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            topics.forEach((t, topic) -> config.put("mlp.topics." + t, topic));
            config.put("mlp.groups.trainer", name + "-trainer");
            config.put("mlp.groups.predictor", name + "-predictor");
            config.put("mlp.training.max-batch-wait", "1h");
            config.put("mlp.training.standardize-features", "true");
            config.put("mlp.training.validate-every-steps", "8");
            config.put("mlp.early-stopping.enabled", "false");
            try {
                return ServiceProcess.start(config, log);
            } catch (Exception e) {
                throw new IllegalStateException("the " + name + " service did not start", e);
            }
        }

        /** Everything learned, answered and dead-lettered as expected; returns the prequential accuracy. */
        double check(TestKafka kafka, ServiceProcess service) throws Exception {
            JsonNode model = awaitModel(service, m -> m.at("/training/examplesSeen").asLong() >= GOOD_TRAINING
                    && m.at("/training/step").asLong() >= GOOD_TRAINING / 32);
            assertEquals(GOOD_TRAINING, model.at("/training/examplesSeen").asLong(), name + ": examples learned");
            List<ConsumerRecord<byte[], byte[]>> answers = readAtLeast(kafka, topics.get("predictions"),
                    GOOD_REQUESTS);
            assertEquals(GOOD_REQUESTS, answers.size(), name + ": answers to the good requests, each once");
            List<ConsumerRecord<byte[], byte[]>> letters = readAtLeast(kafka, topics.get("dlq"), bad.size());
            checkDeadLetters(letters, bad, oversized);

            JsonNode after = JSON.readTree(service.get("/model"));
            assertTrue(after.at("/numerics/parametersFinite").asBoolean(), after.toString());
            assertTrue(after.at("/numerics/standardizationFinite").asBoolean(), after.toString());
            assertEquals(GOOD_TRAINING, after.at("/numerics/standardizationCount").asLong(),
                    name + ": standardisation statistics from the good training records only");
            assertTrue(after.at("/trainerAlive").asBoolean(), name + ": trainer thread alive");
            return after.at("/training/prequentialAccuracy").asDouble();
        }
    }

    /** Every bad record exactly once, with the validator's reason and its source; nothing else. */
    private static void checkDeadLetters(List<ConsumerRecord<byte[], byte[]>> letters, Map<String, Input> bad,
                                         byte[] oversized) {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String key = TestKafka.text(letter.key());
            Input input = bad.get(key);
            assertTrue(input != null, "dead letter for a record that is not bad: " + key + " "
                    + TestKafka.header(letter, "dead-letter-reason") + " " + TestKafka.header(letter, "dead-letter-cause"));
            assertEquals(input.reason(), TestKafka.header(letter, "dead-letter-reason"), "reason of " + key + ": "
                    + TestKafka.header(letter, "dead-letter-cause"));
            assertEquals(input.topic(), TestKafka.header(letter, "dead-letter-topic"), key);
            if (!key.equals("oversized-gzip")) {
                assertTrue(Arrays.equals(input.value(), letter.value()), "value of " + key + " kept whole");
            }
            seen.merge(key, 1, Integer::sum);
        }
        assertEquals(bad.size(), seen.size(), "bad records dead-lettered");
        assertEquals(bad.size(), letters.size(), "dead letters (each bad record once)");
        if (oversized != null) {
            ConsumerRecord<byte[], byte[]> truncated = letters.stream()
                    .filter(l -> TestKafka.text(l.key()).equals("oversized-gzip")).findFirst().orElseThrow();
            assertEquals(Integer.toString(oversized.length),
                    TestKafka.header(truncated, "dead-letter-original-size"));
            assertTrue(truncated.value().length < 1_048_576 && truncated.value().length > 500_000,
                    "truncated to fit one request: " + truncated.value().length);
            assertTrue(Arrays.equals(Arrays.copyOf(oversized, truncated.value().length), truncated.value()));
        }
    }

    private static void checkHttpGuards(ServiceProcess service) throws Exception {
        HttpResponse<String> huge = service.postJson("/predict",
                "{\"features\":[1,1e30,0,0]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, huge.statusCode(), huge.body());
        assertEquals("feature-out-of-range", JSON.readTree(huge.body()).get("reason").asText());

        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"features\":[1,0,0,0]}");
        }
        HttpResponse<String> tooMany = service.postJson("/predict",
                many.append(']').toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(413, tooMany.statusCode(), tooMany.body());
        assertEquals("too-many-requests", JSON.readTree(tooMany.body()).get("reason").asText());

        HttpResponse<String> oneThousand = service.postJson("/predict",
                many.substring(0, many.lastIndexOf(",{")).concat("]").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, oneThousand.statusCode(), "1,000 requests are allowed");
        // ~23 KB: above PredictResource.INLINE_BODY_BYTES, so answered on a worker thread, not the event loop
        assertEquals(1000, JSON.readTree(oneThousand.body()).size(), "one answer per request");

        byte[] body = new byte[17 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        body[0] = '[';
        body[body.length - 1] = ']';
        assertEquals(413, service.postJson("/predict", body).statusCode(), "a body above max-body-size");
    }

    /** The good records (the same in every run) and, if asked, the bad ones mixed in at seeded positions. */
    private static Map<String, List<Input>> inputs(Map<String, String> topics, boolean withBad) throws Exception {
        Blobs blobs = new Blobs(SEED);
        Map<String, List<Input>> inputs = new TreeMap<>();
        List<Input> train = new ArrayList<>();
        for (int i = 0; i < GOOD_TRAINING; i++) {
            train.add(goodExample(topics.get("train"), "good-t-" + i, blobs.next(), i % 3 == 0));
        }
        List<Input> validation = new ArrayList<>();
        for (int i = 0; i < GOOD_VALIDATION; i++) {
            validation.add(goodExample(topics.get("validation"), "good-v-" + i, blobs.next(), i % 3 == 0));
        }
        List<Input> requests = new ArrayList<>();
        for (int i = 0; i < GOOD_REQUESTS; i++) {
            String id = "good-r-" + i;
            float[] features = blobs.next().features();
            requests.add(i % 3 == 0
                    ? new Input(topics.get("predict"), id, BinaryRecordEncoder.request(id, features),
                            RecordFormats.BINARY, null)
                    : new Input(topics.get("predict"), id, utf8(Blobs.request(id, features)), null, null));
        }
        if (withBad) {
            Fuzzer fuzzer = new Fuzzer(new Random(SEED + 1));
            mixIn(train, fuzzer, topics.get("train"), BAD.get("train"), true);
            mixIn(validation, fuzzer, topics.get("validation"), BAD.get("validation"), true);
            mixIn(requests, fuzzer, topics.get("predict"), BAD.get("predict"), false);
        }
        inputs.put("train", train);
        inputs.put("validation", validation);
        inputs.put("predict", requests);
        return inputs;
    }

    private static Input goodExample(String topic, String id, Blobs.Example e, boolean binary) {
        return binary
                ? new Input(topic, id, BinaryRecordEncoder.example(id, e.features(), e.label()), RecordFormats.BINARY,
                        null)
                : new Input(topic, id, utf8(Blobs.trainingRecord(id, e)), null, null);
    }

    /** Inserts {@code count} bad records at random positions; the good ones keep their order. */
    private static void mixIn(List<Input> good, Fuzzer fuzzer, String topic, int count, boolean labelled) {
        for (int n = 0; n < count; n++) {
            Input bad = fuzzer.bad(topic, topic + "-bad-" + n, labelled);
            good.add(fuzzer.random.nextInt(good.size() + 1), bad);
        }
    }

    /** Random and mutated records; each is kept only if the service's validator refuses it (and names why). */
    private static final class Fuzzer {

        final Random random;

        Fuzzer(Random random) {
            this.random = random;
        }

        Input bad(String topic, String key, boolean labelled) {
            while (true) {
                String contentType = null;
                byte[] value;
                int kind = random.nextInt(14);
                switch (kind) {
                    case 0 -> value = randomBytes(random.nextInt(200));
                    case 1 -> value = truncate(validJson(labelled));
                    case 2 -> value = flip(validJson(labelled));
                    case 3 -> value = utf8(withFeature(labelled, pick("1e30", "-3e38", "1e7", "-2000000", "1e400",
                            "NaN", "\"1\"", "null", "[1]", "true")));
                    case 4 -> value = utf8(pick("{\"features\":[1,2,3]" + label(labelled) + "}",
                            "{\"features\":[1,2,3,4,5]" + label(labelled) + "}",
                            "{\"features\":\"1,2,3,4\"" + label(labelled) + "}",
                            "{\"feature\":[1,2,3,4]" + label(labelled) + "}", "[1,2,3,4]", "42", "\"x\"", "null"));
                    case 5 -> value = utf8("{\"features\":[1,2,3,4],\"label\":"
                            + pick("3", "-1", "1.5", "1e10", "\"x\"", "null", "[1]", "99999999999") + "}");
                    case 6 -> value = utf8("{\"features\":[1,2,3,4],\"label\":1,\"weight\":"
                            + pick("1e30", "-1", "1e4", "\"a\"", "1e400", "1001") + "}");
                    case 7 -> value = utf8("[".repeat(2000 + random.nextInt(2000)) + "]".repeat(10));
                    case 8 -> value = utf8("{\"features\":[1,2," + "9".repeat(1500 + random.nextInt(3000)) + ",4]"
                            + label(labelled) + "}");
                    case 9 -> value = utf8("{\"id\":" + pick("{\"a\":1}", "[1]", "true") + ",\"features\":[1,2,3,4]"
                            + label(labelled) + "}");
                    case 10 -> {
                        contentType = RecordFormats.BINARY;
                        value = pickOne(truncate(validBinary(labelled)), flip(validBinary(labelled)),
                                randomBytes(random.nextInt(100)), validJson(labelled));
                    }
                    case 11 -> {
                        contentType = RecordFormats.BINARY;
                        float huge = random.nextBoolean() ? 1e30f : Float.NaN;
                        float[] f = {1, huge, 0, 0};
                        value = labelled ? BinaryRecordEncoder.example("b", f, random.nextInt(3))
                                : BinaryRecordEncoder.request("b", f);
                    }
                    case 12 -> {
                        contentType = RecordFormats.BINARY;
                        value = labelled ? BinaryRecordEncoder.example("b", new float[] {1, 2, 3, 4},
                                pick(3, -1, 7, Integer.MAX_VALUE)) : BinaryRecordEncoder.request("b", new float[] {1, 2});
                    }
                    default -> {
                        contentType = pick("text/plain", "application/avro", "", "application/vnd.streaming-mlp.v2+binary");
                        value = validJson(labelled);
                    }
                }
                String reason = reason(value, contentType, labelled);
                if (reason != null) {
                    return new Input(topic, key, value, contentType, reason);
                }
            }
        }

        private String label(boolean labelled) {
            return labelled ? ",\"label\":" + random.nextInt(3) : "";
        }

        private byte[] validJson(boolean labelled) {
            return utf8("{\"id\":\"x\",\"features\":[" + f() + "," + f() + "," + f() + "," + f() + "]"
                    + label(labelled) + "}");
        }

        private byte[] validBinary(boolean labelled) {
            float[] features = {(float) random.nextGaussian(), (float) random.nextGaussian(), 0, 1};
            return labelled ? BinaryRecordEncoder.example("b", features, random.nextInt(3))
                    : BinaryRecordEncoder.request("b", features);
        }

        private String withFeature(boolean labelled, String feature) {
            return "{\"features\":[" + f() + "," + feature + "," + f() + "," + f() + "]" + label(labelled) + "}";
        }

        private String f() {
            return String.format(java.util.Locale.ROOT, "%.3f", random.nextGaussian());
        }

        private byte[] truncate(byte[] value) {
            return Arrays.copyOf(value, 1 + random.nextInt(value.length - 1));
        }

        private byte[] flip(byte[] value) {
            byte[] out = value.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            }
            return out;
        }

        private byte[] randomBytes(int length) {
            byte[] out = new byte[length];
            random.nextBytes(out);
            return out;
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[random.nextInt(options.length)];
        }

        private byte[] pickOne(byte[]... options) {
            return options[random.nextInt(options.length)];
        }
    }

    /** The reason code the service's validator gives the record; null if it accepts it. */
    private static String reason(byte[] value, String contentType, boolean labelled) {
        try {
            if (labelled) {
                RULES.decoderFor(contentType).decodeExample(value);
            } else {
                RULES.decoderFor(contentType).decodeRequest(value);
            }
            return null;
        } catch (InvalidRecordException e) {
            return e.reason().code();
        }
    }

    /** 3 MB of JSON that arrives in a few KB of gzip: larger than max.request.size once decompressed. */
    private static byte[] sendCompressedOversized(String bootstrap, String topic) throws Exception {
        byte[] value = utf8("{\"features\":[" + " ".repeat(OVERSIZED_BYTES) + "1,2,3,4],\"label\":1}");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, utf8("oversized-gzip"), value)).get();
        }
        return value;
    }

    private static void createTopics(String bootstrap, java.util.Collection<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, 1, (short) 1)).toList()).all().get();
        }
    }

    /** Waits until the topic holds at least {@code count} records, then reads all of it up to its end offsets. */
    private static List<ConsumerRecord<byte[], byte[]>> readAtLeast(TestKafka kafka, String topic, int count) {
        List<List<ConsumerRecord<byte[], byte[]>>> last = new ArrayList<>(List.of(List.of()));
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(0, kafka.readToEnd(topic, "read_uncommitted", TIMEOUT));
                return last.get(0).size() >= count;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(topic + " holds " + last.get(0).size() + " records, expected " + count, e);
        }
        return last.get(0);
    }

    private static JsonNode awaitModel(ServiceProcess service, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = JSON.readTree(service.get("/model"));
                return done.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the model did not get there; last /model: " + last[0] + "; see "
                    + service.log, e);
        }
        return last[0];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
