package org.streamingmlp.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.streamingmlp.ingest.ResumePositions;

/**
 * The partitions each input channel's consumer currently owns, kept up to date by rebalance listeners
 * (application.properties names them per channel). Readiness requires the training and request consumers to own
 * partitions.
 * <p>
 * Offsets of the labelled topics are never committed, so on every assignment the training and validation consumers
 * seek to where this process's model stands ({@link ResumePositions}).
 */
@ApplicationScoped
public class PartitionAssignments {

    private static final Logger LOG = Logger.getLogger(PartitionAssignments.class);

    @Inject
    ResumePositions positions;

    public static final String TRAINING_LISTENER = "training-partitions";
    public static final String VALIDATION_LISTENER = "validation-partitions";
    public static final String REQUESTS_LISTENER = "request-partitions";

    private final Map<String, Set<TopicPartition>> owned = new ConcurrentHashMap<>();
    private final Set<String> rebalanced = ConcurrentHashMap.newKeySet();

    /**
     * True once the channel's group has assigned this process no partition: for the training channel, another
     * trainer of the model is active ({@link SingleTrainerAssignor}) and this one stands by.
     */
    public boolean leftOut(String channel) {
        return rebalanced.contains(channel) && owned.getOrDefault(channel, Set.of()).isEmpty();
    }

    /** Partitions the channel's consumer owns now; empty before its first assignment. */
    public Set<TopicPartition> of(String channel) {
        return Set.copyOf(owned.getOrDefault(channel, Set.of()));
    }

    private void seekToCheckpoint(String channel, Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        for (TopicPartition partition : assigned) {
            positions.of(partition.topic() + "-" + partition.partition()).ifPresent(resume -> {
                consumer.seek(partition, resume.offset());
                LOG.infof("%s: %s resumes at offset %d (%s)", channel, partition, resume.offset(), resume.reason());
            });
        }
    }

    public Map<String, Set<TopicPartition>> all() {
        Map<String, Set<TopicPartition>> copy = new java.util.TreeMap<>();
        owned.forEach((channel, partitions) -> copy.put(channel, Set.copyOf(partitions)));
        return copy;
    }

    @Produces
    @Identifier(TRAINING_LISTENER)
    KafkaConsumerRebalanceListener training() {
        return listenerFor(Channels.TRAINING, true);
    }

    @Produces
    @Identifier(VALIDATION_LISTENER)
    KafkaConsumerRebalanceListener validation() {
        return listenerFor(Channels.VALIDATION, true);
    }

    @Produces
    @Identifier(REQUESTS_LISTENER)
    KafkaConsumerRebalanceListener requests() {
        return listenerFor(Channels.PREDICTION_REQUESTS, false);
    }

    private KafkaConsumerRebalanceListener listenerFor(String channel, boolean resumeFromCheckpoint) {
        Set<TopicPartition> partitions = owned.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet());
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
                partitions.addAll(assigned);
                rebalanced.add(channel);
                if (channel.equals(Channels.TRAINING)) {
                    if (partitions.isEmpty()) {
                        LOG.warnf("Standing by: another trainer of this model owns the training partitions (consumer "
                                + "group %s); this process does not train until it leaves the group",
                                consumer.groupMetadata().groupId());
                    } else {
                        LOG.infof("Training from %s", partitions);
                    }
                }
                if (resumeFromCheckpoint) {
                    seekToCheckpoint(channel, consumer, assigned);
                }
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
