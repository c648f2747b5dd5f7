package org.streamingmlp.kafka;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.streamingmlp.record.InvalidRecordException;

/**
 * Sends a rejected record to the dead-letter topic: the original key, value and headers, plus headers that
 * say why and where it came from. Header names follow SmallRye's own dead-letter queue.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Micrometer counter of dead letters, tagged with {@code reason} and source {@code topic}. */
    public static final String COUNTER = "mlp.dead.letters";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    @Channel(Channels.DEAD_LETTERS)
    MutinyEmitter<byte[]> emitter;

    @Inject
    MeterRegistry registry;

    /** Completes when the broker has the dead letter, so the source offset may be committed after it. */
    public Uni<Void> send(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(record.key())
                .withHeaders(headers(record, rejection))
                .build();
        return emitter.sendMessage(Message.of(value(record)).addMetadata(metadata));
    }

    /** The dead letter as a plain record for {@code topic}, for a transactional producer. */
    public ProducerRecord<byte[], byte[]> record(String topic, ConsumerRecord<byte[], byte[]> record,
                                                 InvalidRecordException rejection) {
        return new ProducerRecord<>(topic, null, record.key(), value(record), headers(record, rejection));
    }

    private static byte[] value(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? new byte[0] : record.value();
    }

    /** The original headers plus the reason and source; counts the dead letter. */
    private RecordHeaders headers(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
        registry.counter(COUNTER, "reason", rejection.reason().code(), "topic", record.topic()).increment();
        LOG.debugf("Dead letter from %s-%d@%d: %s (%s)", record.topic(), record.partition(), record.offset(),
                rejection.reason().code(), rejection.getMessage());
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON, bytes(rejection.reason().code()));
        headers.add(CAUSE, bytes(rejection.getMessage()));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET, bytes(Long.toString(record.offset())));
        return headers;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
