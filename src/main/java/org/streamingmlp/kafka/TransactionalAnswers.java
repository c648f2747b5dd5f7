package org.streamingmlp.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;
import org.streamingmlp.config.InstanceName;
import org.streamingmlp.config.ServiceConfig;

/**
 * Exactly-once answers ({@code mlp.predictions.exactly-once=true}): the answers and dead letters of a batch of
 * requests, and the batch's consumer offsets, are written in one Kafka transaction. A consumer reading the
 * predictions topic with {@code isolation.level=read_committed} sees exactly one answer per request, also after a
 * crash: a transaction cut short is aborted (or fenced by the restarted instance, which uses the same
 * {@code transactional.id}), and its requests are read again from the offsets of the last committed one. Each
 * predictor has its own transactional id ({@link #transactionalId()}).
 */
@ApplicationScoped
public class TransactionalAnswers {

    private static final Logger LOG = Logger.getLogger(TransactionalAnswers.class);

    @Inject
    ServiceConfig config;

    @Inject
    KafkaClientService clients;

    /** Every {@code kafka.*} setting (bootstrap servers, SASL, TLS), as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaProducer<byte[], byte[]> producer;

    /** Writes the records and commits the batch's offsets, atomically; throws if the transaction fails. */
    public synchronized void deliver(ConsumerRecords<byte[], byte[]> batch, List<ProducerRecord<byte[], byte[]>> out) {
        KafkaProducer<byte[], byte[]> p = producer();
        ConsumerGroupMetadata group = clients.<byte[], byte[]>getConsumer(Channels.PREDICTION_REQUESTS)
                .runOnPollingThread((Function<Consumer<byte[], byte[]>, ConsumerGroupMetadata>) Consumer::groupMetadata)
                .await().atMost(Duration.ofSeconds(30));
        p.beginTransaction();
        try {
            for (ProducerRecord<byte[], byte[]> record : out) {
                p.send(record);
            }
            p.sendOffsetsToTransaction(nextOffsets(batch), group);
            p.commitTransaction();
        } catch (ProducerFencedException e) {
            // Another instance with our transactional.id took over: this one must not write again.
            closeProducer();
            throw e;
        } catch (KafkaException e) {
            p.abortTransaction();
            throw e;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            // A transaction holds one batch of answers (milliseconds). When a predictor dies and its replacement has
            // another instance id (a Deployment's new pod), nobody aborts its open transaction: the broker does after
            // this timeout, and until then read_committed readers of the partition wait. 10 s instead of 60 s,
            // unless kafka.transaction.timeout.ms says otherwise.
            producer = ByteProducers.idempotent(kafka, "streaming-mlp-transactional-answers", Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(),
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    kafka.getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000)));
            producer.initTransactions();   // aborts what a crashed predecessor with this id left open
            LOG.infof("Exactly-once answers: transactional.id=%s", transactionalId());
        }
        return producer;
    }

    /**
     * {@code <mlp.predictions.transactional-id>-<mlp.instance-id>}: unique per predictor, so predictors sharing the
     * request topic never fence each other; a restarted one with the same instance id fences its predecessor. A new
     * instance id after a restart (a Deployment's new pod) is safe too: the consumer group's generation fences the
     * old producer's offsets (KIP-447), and its open transaction times out.
     */
    private String transactionalId() {
        return config.predictions().transactionalId() + "-" + InstanceName.of(config);
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @PreDestroy
    synchronized void close() {
        closeProducer();
    }
}
