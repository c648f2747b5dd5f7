package org.streamingmlp.stream;

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
import org.streamingmlp.service.LearningService;
import org.streamingmlp.trainer.LabeledExample;
import org.streamingmlp.trainer.SourceOffset;

/**
 * The edges of the two labelled topics: decode each record in the format its content-type header names and
 * validate it, hand good training examples to the trainer (waiting while its queue is full) and good validation
 * examples to the validation window, and send the others to the dead-letter topic. A batch is acknowledged only
 * after its dead letters are stored.
 */
@ApplicationScoped
public class TrainingIngest {

    @Inject
    LearningService learning;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry registry;

    @Inject
    OffsetRanges offsets;

    @Incoming(Channels.TRAINING)
    @Blocking
    public void training(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        markTaken(records);
        List<Uni<Void>> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                LabeledExample example = decoder(record).decodeExample(record.value());
                learning.learn(example, source(record));
            } catch (InvalidRecordException e) {
                rejected.add(deadLetters.send(record, e));
            }
        }
        registry.counter("mlp.records.consumed", "channel", Channels.TRAINING).increment(records.count());
        Sends.awaitAll(rejected);
    }

    @Incoming(Channels.VALIDATION)
    @Blocking
    public void validation(ConsumerRecords<byte[], byte[]> records) {
        markTaken(records);
        List<Uni<Void>> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                learning.validateWith(decoder(record).decodeExample(record.value()), source(record));
            } catch (InvalidRecordException e) {
                rejected.add(deadLetters.send(record, e));
            }
        }
        registry.counter("mlp.records.consumed", "channel", Channels.VALIDATION).increment(records.count());
        Sends.awaitAll(rejected);
    }

    private RecordDecoder decoder(ConsumerRecord<byte[], byte[]> record) throws InvalidRecordException {
        return learning.formats().decoderFor(ContentTypeHeader.of(record));
    }

    /**
     * Records the whole batch as taken before handling any of it: every record of a batch reaches the trainer (or
     * the dead-letter topic) even if a rebalance revokes its partition meanwhile, so a re-assigned partition
     * resumes after the batch ({@link PartitionAssignments}).
     */
    private void markTaken(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.consumed(record.topic(), record.partition(), record.offset());
        }
    }

    private static SourceOffset source(ConsumerRecord<byte[], byte[]> record) {
        return new SourceOffset(record.topic(), record.partition(), record.offset());
    }
}
