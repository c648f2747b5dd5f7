package org.streamingmlp.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Three brokers, replication factor 3, min.insync.replicas 2: stopping one keeps acks=all writes and reads working. */
class EmbeddedKafkaClusterTest {

    @Test
    void survivesOneStoppedBroker() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Settings.threeBrokers())) {
            System.out.printf("EmbeddedKafkaCluster (3 nodes) startup: %d ms, %s%n",
                    (System.nanoTime() - t0) / 1_000_000, cluster.bootstrapServers());
            String bootstrap = cluster.bootstrapServers();
            String topic = "replicated-" + UUID.randomUUID();
            int leader;
            try (Admin admin = Admin.create(EmbeddedKafkaBrokerTest.common(bootstrap))) {
                assertEquals(3, admin.describeCluster().nodes().get().size());
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get();
                TopicDescription d = describe(admin, topic);
                assertEquals(3, d.partitions().get(0).replicas().size());
                leader = d.partitions().get(0).leader().id();
            }
            try (KafkaProducer<String, String> p = EmbeddedKafkaBrokerTest.producer(bootstrap, null)) {
                for (int i = 0; i < 50; i++) {
                    p.send(new ProducerRecord<>(topic, "k" + i, "before-" + i)).get();
                }
            }

            // stop the leader of partition 0
            int index = leader - 1;
            cluster.stopBroker(index);
            assertFalse(cluster.isRunning(index));
            String remaining = cluster.bootstrapServers();
            assertEquals(2, remaining.split(",").length);

            try (KafkaProducer<String, String> p = EmbeddedKafkaBrokerTest.producer(remaining, null)) {
                for (int i = 0; i < 50; i++) {
                    p.send(new ProducerRecord<>(topic, "k" + i, "after-" + i)).get();
                }
            }
            try (KafkaProducer<String, String> p = EmbeddedKafkaBrokerTest.producer(remaining, "tx-" + UUID.randomUUID())) {
                p.initTransactions();
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, "tx", "tx-committed"));
                p.commitTransaction();
            }
            try (Admin admin = Admin.create(EmbeddedKafkaBrokerTest.common(remaining))) {
                TopicDescription d = describe(admin, topic);
                assertTrue(d.partitions().get(0).leader().id() != leader, "leadership moved");
                assertEquals(2, d.partitions().get(0).isr().size());
            }
            List<ConsumerRecord<String, String>> records = EmbeddedKafkaBrokerTest.consume(remaining, topic, 101,
                    "read_committed");
            assertEquals(101, records.size());

            // and back
            cluster.restartBroker(index);
            assertTrue(cluster.isRunning(index));
            assertEquals(3, cluster.bootstrapServers().split(",").length);
        }
    }

    /**
     * Describes a topic, waiting (at most 15 s) until the broker that answers has its metadata: right after
     * creation or a leader change, another broker may not know the topic yet.
     */
    private static TopicDescription describe(Admin admin, String topic) {
        return await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof ExecutionException
                        && e.getCause() instanceof UnknownTopicOrPartitionException)
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic), Objects::nonNull);
    }
}
