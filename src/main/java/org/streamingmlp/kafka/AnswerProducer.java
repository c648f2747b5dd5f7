package org.streamingmlp.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.common.annotation.Identifier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * At-least-once answers: sends a batch's answers and dead letters with one idempotent producer; the returned future
 * completes once the broker has every one of them, and only then does the caller acknowledge the batch (its offsets
 * become committable).
 *
 * <p>A plain kafka-clients producer rather than a SmallRye emitter: the emitter captures and restores the
 * application's context (CDI request scope, context propagation) and builds a Mutiny pipeline for every record,
 * which in a flight recording of the prediction path cost more CPU than decoding and predicting the batch
 * (issue #9). The batch itself is the unit of acknowledgement here, so the per-record machinery buys nothing.
 * Settings: every {@code kafka.*} setting (bootstrap, SASL, TLS), acks=all, idempotence, and {@code linger.ms=0}
 * unless {@code kafka.linger.ms} says otherwise (a batch's sends go out together; lingering only adds latency).
 */
@ApplicationScoped
public class AnswerProducer {

    /** Every {@code kafka.*} setting, as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaProducer<byte[], byte[]> producer;

    /**
     * Sends the records in order; the future completes when the broker has every one of them, or fails with the
     * first error (the producer has retried until its delivery timeout).
     */
    public CompletableFuture<Void> send(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p = producer();
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (records.isEmpty()) {
            all.complete(null);
            return all;
        }
        AtomicInteger pending = new AtomicInteger(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            p.send(record, (metadata, error) -> {
                if (error != null) {
                    all.completeExceptionally(error);
                } else if (pending.decrementAndGet() == 0) {
                    all.complete(null);
                }
            });
        }
        return all;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = ByteProducers.idempotent(kafka, "streaming-mlp-answers", Map.of(
                    ProducerConfig.LINGER_MS_CONFIG, kafka.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, 0)));
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
