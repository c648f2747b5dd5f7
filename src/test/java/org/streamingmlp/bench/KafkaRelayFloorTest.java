package org.streamingmlp.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.broker.EmbeddedKafkaCluster;

/**
 * The benchmark's relay floor against a real broker (one embedded node in this JVM, the relay in a JVM of its own as
 * the benchmark starts it): every request is answered once, with its key and the fixed answer, and the group's
 * committed offset reaches the end of the request topic (the relay commits what it answered).
 */
class KafkaRelayFloorTest {

    private static final int REQUESTS = 3_000;

    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaCluster.start(new EmbeddedKafkaCluster.Settings("localhost", 1, (short) 1, 1, 1, null));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void theAnswerHasTheServicesShapeForFashionMnist() throws Exception {
        JsonNode answer = new ObjectMapper().readTree(KafkaRelayFloor.answer());
        assertEquals(Set.of("id", "prediction", "probabilities", "modelVersion"), fieldNames(answer));
        JsonNode probabilities = answer.get("probabilities");
        assertEquals(10, probabilities.size());
        double sum = 0;
        int best = 0;
        for (int i = 0; i < probabilities.size(); i++) {
            sum += probabilities.get(i).asDouble();
            best = probabilities.get(i).asDouble() > probabilities.get(best).asDouble() ? i : best;
        }
        assertEquals(1.0, sum, 1e-5);
        assertEquals(best, answer.get("prediction").asInt());
    }

    @Test
    void everyRequestIsAnsweredWithItsKeyAndTheOffsetsAreCommitted() throws Exception {
        String requests = "relay-test.requests";
        String answers = "relay-test.answers";
        String group = "relay-test";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(requests, 1, (short) 1), new NewTopic(answers, 1, (short) 1)))
                    .all().get();
            try (KafkaRelayFloor relay = KafkaRelayFloor.start(kafka.bootstrapServers(), requests, answers, group,
                    dir.resolve("relay.log"), Duration.ofSeconds(60))) {
                try (KafkaProducer<byte[], byte[]> producer = producer()) {
                    for (int i = 0; i < REQUESTS; i++) {
                        producer.send(new ProducerRecord<>(requests, key(i), new byte[] {(byte) i, 1, 2, 3}));
                    }
                }
                byte[] expected = KafkaRelayFloor.answer();
                Set<String> keys = new HashSet<>();
                int read = 0;
                try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                    consumer.subscribe(List.of(answers));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (read < REQUESTS && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            assertArrayEquals(expected, r.value());
                            keys.add(new String(r.key(), StandardCharsets.US_ASCII));
                            read++;
                        }
                    }
                }
                assertEquals(REQUESTS, read, "answers read");
                assertEquals(REQUESTS, keys.size(), "distinct keys answered");
                for (int i = 0; i < REQUESTS; i++) {
                    assertTrue(keys.contains(Integer.toString(i)), "request " + i + " answered");
                }
                TopicPartition partition = new TopicPartition(requests, 0);
                // commits go out every 5 s (SmallRye's throttled strategy), so this waits up to two of them
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get().get(partition);
                    return committed != null && committed.offset() == REQUESTS;
                });
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] key(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "relay-test-reader");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
