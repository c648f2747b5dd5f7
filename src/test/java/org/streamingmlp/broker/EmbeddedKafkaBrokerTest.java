package org.streamingmlp.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the embedded broker is a real Kafka broker: admin, idempotent producer, consumer, transactions. */
class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("EmbeddedKafkaBroker startup: %d ms (first broker in this JVM, includes class loading), %s%n",
                ms, broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Properties common(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
        Properties p = common(bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int expected,
            String isolation) {
        Properties p = common(bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // one more short poll: nothing beyond what was expected may arrive
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    @Test
    void adminProduceConsume() throws Exception {
        String topic = "records-" + UUID.randomUUID();
        try (Admin admin = Admin.create(common(broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            assertTrue(admin.listTopics().names().get().contains(topic));
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), null)) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> records = consume(broker.bootstrapServers(), topic, 100,
                "read_uncommitted");
        assertEquals(100, records.size());
        Set<String> values = new java.util.HashSet<>();
        records.forEach(r -> values.add(r.value()));
        for (int i = 0; i < 100; i++) {
            assertTrue(values.contains("v" + i), "missing v" + i);
        }
    }

    @Test
    void autoCreatedTopicWorks() throws Exception {
        String topic = "auto-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), null)) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        assertEquals(1, consume(broker.bootstrapServers(), topic, 1, "read_uncommitted").size());
    }

    @Test
    void transactionsCommitAndAbort() throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        try (Admin admin = Admin.create(common(broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), "tx-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "x", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
        List<ConsumerRecord<String, String>> records = consume(broker.bootstrapServers(), topic, 10,
                "read_committed");
        assertEquals(10, records.size());
        assertTrue(records.stream().allMatch(r -> r.value().startsWith("committed-")));
    }

    @Test
    void twoBrokersInOneJvmAndCloseFreesThePort() throws Exception {
        Path dir = Files.createTempDirectory("second-broker-");
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Settings.defaults().withLogDir(dir).withDefaultPartitions(2));
        System.out.printf("EmbeddedKafkaBroker startup (second broker, warm JVM): %d ms, %s%n",
                (System.nanoTime() - t0) / 1_000_000, second.bootstrapServers());
        int port = second.port();
        try {
            assertNotEquals(broker.port(), port);
            assertNotEquals(broker.logDir(), second.logDir());
            String topic = "second-" + UUID.randomUUID();
            try (KafkaProducer<String, String> producer = producer(second.bootstrapServers(), null)) {
                producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            }
            assertEquals(1, consume(second.bootstrapServers(), topic, 1, "read_uncommitted").size());
            try (Admin admin = Admin.create(common(second.bootstrapServers()))) {
                assertEquals(2, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                        .partitions().size());
                // the first broker does not know the topic
            }
            try (Admin admin = Admin.create(common(broker.bootstrapServers()))) {
                assertFalse(admin.listTopics().names().get().contains(topic));
            }
        } finally {
            second.close();
            second.close(); // idempotent
        }
        assertTrue(second.isClosed());
        // the port is free again
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(second.host(), port));
        }
        // an explicit log directory is kept (the caller owns it), and is reusable
        assertTrue(Files.exists(dir.resolve("meta.properties")));
        EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults().withLogDir(dir));
        again.close();
        org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }

    @Test
    void occupiedPortIsAClearError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults().withPort(broker.port())));
        assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    }

    @Test
    void temporaryDirectoryIsRemovedOnClose() {
        EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
        Path dir = b.logDir();
        assertTrue(Files.isDirectory(dir));
        b.close();
        assertFalse(Files.exists(dir));
    }
}
