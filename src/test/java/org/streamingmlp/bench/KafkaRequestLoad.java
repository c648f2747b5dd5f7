package org.streamingmlp.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamingmlp.codec.RecordFormats;

/**
 * Open-loop prediction requests over Kafka: request {@code i} goes to the request topic with key {@code "i"} (the
 * value is one of the prepared request records, binary or JSON), and a consumer of the predictions topic matches
 * each answer to its request by the key the service copies from the request.
 */
final class KafkaRequestLoad extends OpenLoop {

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String requestTopic;
    private final byte[][] payloads;
    private final RecordHeader contentType;
    private final Thread reader;
    private volatile boolean running = true;
    private final LongAdder answerRecords = new LongAdder();
    private final LongAdder answerBytes = new LongAdder();

    KafkaRequestLoad(String bootstrap, String requestTopic, String answerTopic, byte[][] payloads, boolean binary,
                     int capacity) throws InterruptedException {
        super(capacity);
        this.requestTopic = requestTopic;
        this.payloads = payloads;
        this.contentType = new RecordHeader(RecordFormats.HEADER,
                (binary ? RecordFormats.BINARY : RecordFormats.JSON).getBytes(StandardCharsets.UTF_8));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);   // a request leaves when it is due (Kafka 4's default is 5 ms)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-answers-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(answerTopic));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        if (consumer.assignment().isEmpty()) {
            throw new IllegalStateException("no partition of " + answerTopic + " assigned within 30 s");
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        reader = new Thread(this::read, "bench-answer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    protected void submit(int index) {
        byte[] key = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(requestTopic, null, key,
                payloads[index % payloads.length], List.of(contentType));
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                failed(index);
            }
        });
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    answered(parseIndex(r.key()), now);
                    answerBytes.add(r.value() == null ? 0 : r.value().length);
                }
                answerRecords.add(records.count());
            }
        } catch (WakeupException stopping) {
            // close()
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Mean size of the answer records' values read so far, bytes (NaN before the first). */
    double meanAnswerBytes() {
        long n = answerRecords.sum();
        return n == 0 ? Double.NaN : answerBytes.sum() / (double) n;
    }

    private static int parseIndex(byte[] key) {
        if (key == null || key.length == 0 || key.length > 10) {
            return -1;
        }
        long n = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5000);
        producer.close(Duration.ofSeconds(5));
    }
}
