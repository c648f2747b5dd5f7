package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The fence's rule: the trainer that started first gets every partition, the others none. */
class SingleTrainerAssignorTest {

    private static final Node NODE = new Node(1, "localhost", 9092);

    @Test
    void theEarliestStartedMemberTakesAllPartitions() {
        Cluster cluster = new Cluster("c", List.of(NODE), List.of(partition("mlp.train", 0),
                partition("mlp.train", 1), partition("mlp.train", 2)), Set.of(), Set.of());
        Map<String, ConsumerPartitionAssignor.Subscription> members = Map.of(
                "late", subscription(2_000L), "early", subscription(1_000L), "latest", subscription(3_000L));
        Map<String, ConsumerPartitionAssignor.Assignment> result = new SingleTrainerAssignor()
                .assign(cluster, new ConsumerPartitionAssignor.GroupSubscription(members)).groupAssignment();
        assertEquals(Set.of(new TopicPartition("mlp.train", 0), new TopicPartition("mlp.train", 1),
                new TopicPartition("mlp.train", 2)), Set.copyOf(result.get("early").partitions()));
        assertTrue(result.get("late").partitions().isEmpty());
        assertTrue(result.get("latest").partitions().isEmpty());
    }

    @Test
    void aMemberWithoutSeniorityLosesAndTiesGoToTheSmallerMemberId() {
        Cluster cluster = new Cluster("c", List.of(NODE), List.of(partition("t", 0)), Set.of(), Set.of());
        Map<String, ConsumerPartitionAssignor.Subscription> members = Map.of(
                "b", subscription(5L), "a", subscription(5L),
                "x", new ConsumerPartitionAssignor.Subscription(List.of("t")));
        Map<String, ConsumerPartitionAssignor.Assignment> result = new SingleTrainerAssignor()
                .assign(cluster, new ConsumerPartitionAssignor.GroupSubscription(members)).groupAssignment();
        assertEquals(1, result.get("a").partitions().size());
        assertTrue(result.get("b").partitions().isEmpty());
        assertTrue(result.get("x").partitions().isEmpty());
    }

    private static ConsumerPartitionAssignor.Subscription subscription(long startedAt) {
        return new ConsumerPartitionAssignor.Subscription(List.of("mlp.train", "t"),
                ByteBuffer.allocate(Long.BYTES).putLong(0, startedAt));
    }

    private static PartitionInfo partition(String topic, int partition) {
        return new PartitionInfo(topic, partition, NODE, new Node[]{NODE}, new Node[]{NODE});
    }
}
