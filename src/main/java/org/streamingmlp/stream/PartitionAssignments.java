package org.streamingmlp.stream;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions each input channel's consumer currently owns, kept up to date by rebalance listeners
 * (application.properties names them per channel). Readiness requires the training and request consumers to own
 * partitions; the durability work will seek to checkpointed offsets here.
 */
@ApplicationScoped
public class PartitionAssignments {

    public static final String TRAINING_LISTENER = "training-partitions";
    public static final String VALIDATION_LISTENER = "validation-partitions";
    public static final String REQUESTS_LISTENER = "request-partitions";

    private final Map<String, Set<TopicPartition>> owned = new ConcurrentHashMap<>();

    /** Partitions the channel's consumer owns now; empty before its first assignment. */
    public Set<TopicPartition> of(String channel) {
        return Set.copyOf(owned.getOrDefault(channel, Set.of()));
    }

    public Map<String, Set<TopicPartition>> all() {
        Map<String, Set<TopicPartition>> copy = new java.util.TreeMap<>();
        owned.forEach((channel, partitions) -> copy.put(channel, Set.copyOf(partitions)));
        return copy;
    }

    @Produces
    @Identifier(TRAINING_LISTENER)
    KafkaConsumerRebalanceListener training() {
        return listenerFor(Channels.TRAINING);
    }

    @Produces
    @Identifier(VALIDATION_LISTENER)
    KafkaConsumerRebalanceListener validation() {
        return listenerFor(Channels.VALIDATION);
    }

    @Produces
    @Identifier(REQUESTS_LISTENER)
    KafkaConsumerRebalanceListener requests() {
        return listenerFor(Channels.PREDICTION_REQUESTS);
    }

    private KafkaConsumerRebalanceListener listenerFor(String channel) {
        Set<TopicPartition> partitions = owned.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet());
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
                partitions.addAll(assigned);
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
                partitions.removeAll(revoked);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
                partitions.removeAll(lost);
            }
        };
    }
}
