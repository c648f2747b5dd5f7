package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.ingest.ExampleIngest;
import org.streamingmlp.ingest.OffsetRanges;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.trainer.TrainingInbox;
import org.streamingmlp.trainer.ValidationWindow;

/**
 * A batch whose dead letters cannot all be stored is still handled whole: its offsets are taken before it is
 * handled, so a record left unrouted after a failed chunk of dead letters would be neither learned nor
 * dead-lettered, and never read again.
 */
class ExampleChannelsTest {

    @Test
    void aFailedChunkOfDeadLettersDoesNotStopTheRestOfTheBatch() {
        int bad = ExampleChannels.MAX_DEAD_LETTERS_IN_FLIGHT + 88;   // the first chunk fails, the second is stored
        int good = 100;
        AtomicInteger sent = new AtomicInteger();
        DeadLetters failingFirstChunk = new DeadLetters() {
            @Override
            public Uni<Void> send(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
                return sent.incrementAndGet() <= ExampleChannels.MAX_DEAD_LETTERS_IN_FLIGHT
                        ? Uni.createFrom().failure(new IllegalStateException("the dead-letter topic is unwritable"))
                        : Uni.createFrom().voidItem();
            }
        };
        TrainingInbox inbox = new TrainingInbox(10_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExampleChannels channels = new ExampleChannels();
        channels.ingest = new ExampleIngest(new RecordFormats(new ObjectMapper(), 3, 4, LossKind.CROSS_ENTROPY, 10_000),
                inbox, new ValidationWindow(10), new OffsetRanges());
        channels.deadLetters = failingFirstChunk;
        channels.registry = registry;
        channels.failures = new RecordFailures(registry);

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < bad + good; i++) {
            String value = i < bad ? "not json" : "{\"features\":[1,0,0],\"label\":" + (i % 4) + "}";
            records.add(new ConsumerRecord<>("train", 0, i, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        ConsumerRecords<byte[], byte[]> batch = new ConsumerRecords<>(Map.of(new TopicPartition("train", 0), records),
                Map.of());

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> channels.training(batch),
                "the batch still fails, so failure-strategy=ignore logs it");
        assertEquals("the dead-letter topic is unwritable", failure.getMessage());
        assertEquals(bad, sent.get(), "every bad record was dead-lettered, also after the failed chunk");
        assertEquals(good, inbox.size(), "every good record after the failed chunk reached the trainer");
        assertEquals(ExampleChannels.MAX_DEAD_LETTERS_IN_FLIGHT,
                registry.counter(RecordFailures.COUNTER, "channel", Channels.TRAINING).count(),
                "the records whose dead letters were lost are reported");
    }
}
