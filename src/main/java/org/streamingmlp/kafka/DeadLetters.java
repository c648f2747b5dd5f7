package org.streamingmlp.kafka;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.streamingmlp.record.InvalidRecordException;

/**
 * Sends a rejected record to the dead-letter topic: the original key, value and headers, plus headers that
 * say why and where it came from (a record too large to send whole goes truncated, see {@link DeadLetter}). Header
 * names follow SmallRye's own dead-letter queue.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = DeadLetter.REASON;
    public static final String CAUSE = DeadLetter.CAUSE;
    public static final String TOPIC = DeadLetter.TOPIC;
    public static final String PARTITION = DeadLetter.PARTITION;
    public static final String OFFSET = DeadLetter.OFFSET;
    public static final String ORIGINAL_SIZE = DeadLetter.ORIGINAL_SIZE;
    /** Micrometer counter of dead letters, tagged with {@code reason} and source {@code topic}. */
    public static final String COUNTER = "mlp.dead.letters";
    /** Micrometer counter of dead letters sent truncated because the record was too large to send whole. */
    public static final String TRUNCATED = "mlp.dead.letters.truncated";
    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1048576;

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    @Channel(Channels.DEAD_LETTERS)
    MutinyEmitter<byte[]> emitter;

    @Inject
    MeterRegistry registry;

    /**
     * The smallest {@code max.request.size} of the producers that write dead letters (the dead-letter channel's;
     * the answer producer and the transactional one take the {@code kafka.*} setting).
     */
    private int maxRequestSize = KAFKA_DEFAULT_MAX_REQUEST_SIZE;

    @PostConstruct
    void readProducerLimit() {
        Config config = ConfigProvider.getConfig();
        int size = config.getOptionalValue("kafka.max.request.size", Integer.class)
                .orElse(KAFKA_DEFAULT_MAX_REQUEST_SIZE);
        maxRequestSize = Math.min(size, config.getOptionalValue(
                "mp.messaging.outgoing." + Channels.DEAD_LETTERS + ".max.request.size", Integer.class).orElse(size));
    }

    /** Completes when the broker has the dead letter, so the source offset may be committed after it. */
    public Uni<Void> send(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
        DeadLetter letter = letter(record, rejection);
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(letter.key())
                .withHeaders(letter.headers())
                .build();
        return emitter.sendMessage(Message.of(letter.value()).addMetadata(metadata));
    }

    /** The dead letter as a plain record for {@code topic}, for a transactional producer. */
    public ProducerRecord<byte[], byte[]> record(String topic, ConsumerRecord<byte[], byte[]> record,
                                                 InvalidRecordException rejection) {
        DeadLetter letter = letter(record, rejection);
        return new ProducerRecord<>(topic, null, letter.key(), letter.value(), letter.headers());
    }

    /** The dead letter, cut to fit one producer request; counts it. */
    private DeadLetter letter(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
        registry.counter(COUNTER, "reason", rejection.reason().code(), "topic", record.topic()).increment();
        DeadLetter letter = DeadLetter.of(record, rejection, maxRequestSize);
        if (letter.truncated()) {
            registry.counter(TRUNCATED, "topic", record.topic()).increment();
            LOG.warnf("Dead letter from %s-%d@%d truncated to %d bytes (value of %d bytes, key of %d): too large for "
                    + "max.request.size=%d", record.topic(), record.partition(), record.offset(),
                    letter.value().length, record.value() == null ? 0 : record.value().length,
                    record.key() == null ? 0 : record.key().length, maxRequestSize);
        }
        LOG.debugf("Dead letter from %s-%d@%d: %s (%s)", record.topic(), record.partition(), record.offset(),
                rejection.reason().code(), rejection.getMessage());
        return letter;
    }
}
