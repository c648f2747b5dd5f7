package org.streamingmlp.tools;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordFormats;

/**
 * Streams a {@link Dataset} into the topics: each record is assigned once to training, validation or requests
 * (seeded, so a record keeps its split on every pass), then every pass sends the records in file order or a
 * shuffled one, paced to the rate. Requests carry no label. Used by the {@code feed} command and by dev mode's
 * demo.
 */
final class Feeder {

    /** Where a record goes. */
    enum Split { TRAIN, VALIDATION, REQUEST }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dataset data;
    private final FeedOptions options;
    private final Producer<byte[], byte[]> producer;
    private final FeedProgress progress;
    private final Split[] splits;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    Feeder(Dataset data, FeedOptions options, Producer<byte[], byte[]> producer, FeedProgress progress) {
        this.data = data;
        this.options = options;
        this.producer = producer;
        this.progress = progress;
        int n = options.limit() > 0 ? (int) Math.min(options.limit(), data.size()) : data.size();
        this.splits = new Split[n];
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int i = 0; i < n; i++) {
            double r = random.nextDouble();
            splits[i] = r < options.validationFraction() ? Split.VALIDATION
                    : r < options.validationFraction() + options.requestFraction() ? Split.REQUEST : Split.TRAIN;
        }
    }

    /** Records sent per topic. Stops after {@code repeat} passes, or when {@code stop} says so. */
    Map<String, Long> run(BooleanSupplier stop) throws Exception {
        Map<String, Long> sent = new TreeMap<>();
        long total = 0;
        long start = System.nanoTime();
        double nanosPerRecord = options.rate() > 0 ? 1e9 / options.rate() : 0;
        int[] order = identity(splits.length);
        for (long pass = 0; options.repeat() == 0 || pass < options.repeat(); pass++) {
            if (options.shuffle()) {
                shuffle(order, new Random(options.seed() + pass));
            }
            for (int index : order) {
                if (stop.getAsBoolean()) {
                    return finish(sent);
                }
                if (nanosPerRecord > 0) {
                    long due = start + (long) (total * nanosPerRecord);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0 && !stop.getAsBoolean()) {
                        LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                    }
                }
                failIfSendFailed();
                String topic = send(data.get(index), splits[index]);
                sent.merge(topic, 1L, Long::sum);
                total++;
                progress.update(total, pass + 1, sent);
            }
            if (splits.length == 0) {
                break;
            }
        }
        return finish(sent);
    }

    private Map<String, Long> finish(Map<String, Long> sent) throws Exception {
        producer.flush();
        failIfSendFailed();
        progress.done(sent);
        return sent;
    }

    private void failIfSendFailed() throws Exception {
        Exception failure = sendFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    private String send(FeedExample example, Split split) {
        boolean request = split == Split.REQUEST || !example.labelled();
        String topic = request ? options.requestTopic()
                : split == Split.VALIDATION ? options.validationTopic() : options.trainTopic();
        byte[] key = example.id().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, encode(example, request));
        if (options.binary()) {
            record.headers().add(new RecordHeader(RecordFormats.HEADER,
                    RecordFormats.BINARY.getBytes(StandardCharsets.UTF_8)));
        }
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            }
        });
        return topic;
    }

    private byte[] encode(FeedExample example, boolean request) {
        if (options.binary()) {
            if (request) {
                return BinaryRecordEncoder.request(example.id(), example.features());
            }
            return example.targets() != null
                    ? BinaryRecordEncoder.example(example.id(), example.features(), example.targets())
                    : BinaryRecordEncoder.example(example.id(), example.features(), example.classIndex());
        }
        ObjectNode json = JSON.createObjectNode().put("id", example.id());
        ArrayNode features = json.putArray("features");
        for (float f : example.features()) {
            features.add(f);
        }
        if (!request) {
            if (example.targets() != null) {
                ArrayNode targets = json.putArray("label");
                for (float t : example.targets()) {
                    targets.add(t);
                }
            } else {
                json.put("label", example.classIndex());
            }
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The split of the record at {@code index} (tests read the topics back against it). */
    Split split(int index) {
        return splits[index];
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
