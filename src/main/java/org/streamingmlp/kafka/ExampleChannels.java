package org.streamingmlp.kafka;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.streamingmlp.ingest.ExampleIngest;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.SourceOffset;

/**
 * The Kafka edges of the two labelled topics: each polled record goes to the {@link ExampleIngest} with its content
 * type and position; a refused one goes to the dead-letter topic. A batch is acknowledged only after its dead
 * letters are stored. An exception while handling one record (not a bad record: a failure of the service) never
 * stops the channel: the record is dead-lettered as {@code processing-failed} and reported ({@link RecordFailures});
 * if even its dead letter cannot be stored, the record is reported, the rest of the batch is still handled, and the
 * first such exception then goes to the channel's {@code failure-strategy=ignore} (application.properties), which
 * logs it and goes on.
 */
@ApplicationScoped
public class ExampleChannels {

    @Inject
    ExampleIngest ingest;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry registry;

    @Inject
    RecordFailures failures;

    @Incoming(Channels.TRAINING)
    @Blocking
    public void training(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        consume(Channels.TRAINING, records, ingest::train);
    }

    @Incoming(Channels.VALIDATION)
    @Blocking
    public void validation(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        consume(Channels.VALIDATION, records, ingest::validate);
    }

    /** Where a labelled record goes: the trainer's inbox or the validation window. */
    @FunctionalInterface
    private interface Route {
        void accept(String contentType, byte[] value, SourceOffset source)
                throws InvalidRecordException, InterruptedException;
    }

    /**
     * Dead letters of one batch in flight at most. The dead-letter emitter takes only so many sends at once (its
     * Kafka sink's in-flight messages plus a small overflow buffer, about a thousand with SmallRye's defaults); a
     * send beyond that fails at once ("SRMSG00034: Insufficient downstream requests to emit item"). With 2,000
     * records per poll (max.poll.records, application.properties), a batch of mostly bad records lost the dead
     * letters past that (HostileInputIT: 8,022 of 10,051); so the channel waits for every {@value} before it sends
     * more. The batch is still acknowledged only after all of its dead letters are stored.
     */
    static final int MAX_DEAD_LETTERS_IN_FLIGHT = 512;

    private void consume(String channel, ConsumerRecords<byte[], byte[]> records, Route route)
            throws InterruptedException {
        markTaken(records);
        List<Uni<Void>> rejected = new ArrayList<>();
        List<SourceOffset> rejectedAt = new ArrayList<>();
        RuntimeException firstFailure = null;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            SourceOffset source = source(record);
            try {
                route.accept(ContentTypeHeader.of(record), record.value(), source);
                failures.passed(source);
            } catch (InvalidRecordException e) {
                rejected.add(deadLetters.send(record, e));
                rejectedAt.add(source);
            } catch (RuntimeException e) {
                failures.failed(channel, source, e);
                rejected.add(deadLetters.send(record, ProcessingFailure.of(e)));
                rejectedAt.add(source);
            }
            if (rejected.size() >= MAX_DEAD_LETTERS_IN_FLIGHT) {
                // a failure here must not stop the batch: its offsets are already taken, so records not yet routed
                // would be neither learned nor dead-lettered
                firstFailure = firstNonNull(firstFailure, awaitDeadLetters(channel, rejected, rejectedAt));
            }
        }
        registry.counter("mlp.records.consumed", "channel", channel).increment(records.count());
        firstFailure = firstNonNull(firstFailure, awaitDeadLetters(channel, rejected, rejectedAt));
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /**
     * Waits until the broker has the dead letters sent so far (the batch is acknowledged only after them); returns
     * the failure if some could not be stored (those records are reported), else null.
     */
    private RuntimeException awaitDeadLetters(String channel, List<Uni<Void>> rejected,
                                              List<SourceOffset> rejectedAt) {
        RuntimeException failure = null;
        try {
            Sends.awaitAll(rejected);
        } catch (RuntimeException e) {
            rejectedAt.forEach(source -> failures.failed(channel, source, e));
            failure = e;
        }
        rejected.clear();
        rejectedAt.clear();
        return failure;
    }

    private static RuntimeException firstNonNull(RuntimeException first, RuntimeException next) {
        return first != null ? first : next;
    }

    /** The whole batch is taken before any of it is handled (see {@link ExampleIngest#taken}). */
    private void markTaken(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ingest.taken(source(record));
        }
    }

    private static SourceOffset source(ConsumerRecord<byte[], byte[]> record) {
        return new SourceOffset(record.topic(), record.partition(), record.offset());
    }
}
