package org.streamingmlp.kafka;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The single-trainer fence: a partition assignor for the trainer's consumer groups that gives every partition to
 * one member, the one whose process started first, and none to the others. A second trainer of the same model (same
 * groups) therefore owns no training partitions: it refuses to train, publishes nothing, reports itself as a
 * standby in its readiness check and log, and takes over all partitions if the active one leaves the group (its
 * session times out or it shuts down). The training and validation groups use the same rule, so both elect the
 * same process. Kafka-native: the group coordinator's membership is the lease; no extra topic or lock.
 */
public final class SingleTrainerAssignor implements ConsumerPartitionAssignor {

    public static final String NAME = "streaming-mlp-single-trainer";

    /** When this JVM started (epoch ms), the seniority a member offers in its subscription. */
    private static final long STARTED_AT = ManagementFactory.getRuntimeMXBean().getStartTime();

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ByteBuffer.allocate(Long.BYTES).putLong(0, STARTED_AT);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = groupSubscription.groupSubscription();
        String active = members.entrySet().stream()
                .min(Comparator.<Map.Entry<String, Subscription>>comparingLong(e -> startedAt(e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElseThrow();
        Set<String> topics = new TreeSet<>();
        members.values().forEach(s -> topics.addAll(s.topics()));
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = metadata.partitionsForTopic(topic);
            partitions.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
        }
        Map<String, Assignment> assignments = new HashMap<>();
        members.keySet().forEach(member -> assignments.put(member,
                new Assignment(member.equals(active) ? all : List.of())));
        return new GroupAssignment(assignments);
    }

    private static long startedAt(Subscription subscription) {
        ByteBuffer data = subscription.userData();
        return data != null && data.remaining() >= Long.BYTES ? data.getLong(data.position()) : Long.MAX_VALUE;
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        // Nothing to remember: the rebalance listener (PartitionAssignments) sees the outcome.
    }

    @Override
    public String name() {
        return NAME;
    }
}
