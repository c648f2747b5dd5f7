package org.streamingmlp.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.common.annotation.Identifier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * At-least-once answers: sends a batch's answers and dead letters with one idempotent producer and returns once the
 * broker has every one of them, so the caller acknowledges the batch (its offsets are committed) only after that.
 *
 * <p>A plain kafka-clients producer rather than a SmallRye emitter: the emitter captures and restores the
 * application's context (CDI request scope, context propagation) and builds a Mutiny pipeline for every record,
 * which in a flight recording of the prediction path cost more CPU than decoding and predicting the batch
 * (issue #9). The batch itself is the unit of acknowledgement here, so the per-record machinery buys nothing.
 * Settings: every {@code kafka.*} setting (bootstrap, SASL, TLS), acks=all, idempotence, and {@code linger.ms=0}
 * unless {@code kafka.linger.ms} says otherwise (the batch is awaited at once; lingering only adds latency).
 */
@ApplicationScoped
public class AnswerProducer {

    /** Longer than the producer's own delivery timeout (2 min by default): it fails a record before this. */
    private static final Duration AWAIT = Duration.ofMinutes(3);

    /** Every {@code kafka.*} setting, as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaProducer<byte[], byte[]> producer;

    /** Sends the records in order and waits until the broker has all of them; throws if any cannot be stored. */
    public void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            sent.add(p.send(record));
        }
        long deadline = System.nanoTime() + AWAIT.toNanos();
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for answers to be stored", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k
                        : new KafkaException("an answer could not be stored", e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaException("answers were not stored within " + AWAIT, e);
            }
        }
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
