package org.streamingmlp.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.broker.EmbeddedKafkaCluster;
import org.streamingmlp.codec.RecordDecoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.PredictionRequest;

/**
 * {@code feed} against a real broker (one embedded Kafka node in this JVM): every record it reports sent is read
 * back from the topics and decoded by the service's own decoders, and matches the file it came from.
 */
class FeedCommandTest {

    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaCluster.start(new EmbeddedKafkaCluster.Settings("localhost", 1, (short) 1, 1, 1, null));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void csvIsSplitIntoTrainingValidationAndRequestsAsJson() throws Exception {
        Random random = new Random(3);
        int rows = 400;
        float[][] features = new float[rows][3];
        int[] labels = new int[rows];
        StringBuilder csv = new StringBuilder("x1,label,x2,x3\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) {
                features[i][j] = Math.round(random.nextGaussian() * 1000) / 1000f;
            }
            labels[i] = random.nextInt(3);
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s%n", features[i][0], labels[i], features[i][1],
                    features[i][2]));
        }
        Path file = Files.writeString(dir.resolve("data.csv"), csv);
        String run = UUID.randomUUID().toString().substring(0, 8);

        Map<String, Long> sent = FeedCommand.run(List.of(file.toString(), "--bootstrap", kafka.bootstrapServers(),
                "--topic", "train-" + run, "--validation-topic", "validation-" + run, "--request-topic",
                "predict-" + run, "--validation-fraction", "0.2", "--request-fraction", "0.1", "--shuffle",
                "--seed", "7", "--repeat", "2"));

        RecordDecoder json = formats(3, 3).decoderFor(null);
        Map<String, Integer> timesSeen = new HashMap<>();
        Map<String, String> topicOf = new HashMap<>();
        for (String topic : List.of("train-" + run, "validation-" + run, "predict-" + run)) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, sent.get(topic));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                int row = Integer.parseInt(key.substring("row-".length())) - 1;
                if (topic.startsWith("predict")) {
                    PredictionRequest request = json.decodeRequest(r.value());
                    assertArrayEquals(features[row], request.features(), key);
                    assertFalse(new ObjectMapper().readTree(r.value()).has("label"), key);
                } else {
                    LabeledExample example = json.decodeExample(r.value());
                    assertEquals(key, example.id());
                    assertArrayEquals(features[row], example.features(), key);
                    assertEquals(new Label.ClassIndex(labels[row]), example.label(), key);
                }
                timesSeen.merge(key, 1, Integer::sum);
                String previous = topicOf.put(key, topic);
                assertTrue(previous == null || previous.equals(topic), key + " stays in its split");
            }
        }
        assertEquals(rows, timesSeen.size(), "every row of the file was sent");
        assertTrue(timesSeen.values().stream().allMatch(n -> n == 2), "every row twice (--repeat 2)");
        long validation = topicOf.values().stream().filter(t -> t.startsWith("validation")).count();
        long requests = topicOf.values().stream().filter(t -> t.startsWith("predict")).count();
        assertTrue(validation >= 50 && validation <= 110, "0.2 of 400 drawn per record: " + validation);
        assertTrue(requests >= 20 && requests <= 60, "0.1 of 400 drawn per record: " + requests);
    }

    @Test
    void idxImagesAndLabelsGoInTheBinaryEncoding() throws Exception {
        int count = 120;
        int side = 5;
        Random random = new Random(11);
        byte[][] images = new byte[count][side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            random.nextBytes(images[i]);
            labels[i] = (byte) random.nextInt(10);
        }
        Path imageFile = dir.resolve("tiny-images-idx3-ubyte.gz");
        Path labelFile = dir.resolve("tiny-labels-idx1-ubyte.gz");
        writeIdx(imageFile, 2051, count, new int[] {side, side}, images);
        writeIdx(labelFile, 2049, count, new int[0], new byte[][] {labels});
        String topic = "idx-" + UUID.randomUUID().toString().substring(0, 8);

        // The label file is found beside the images by its name; rate 1,000/s: a paced feed still sends everything.
        Map<String, Long> sent = FeedCommand.run(List.of(imageFile.toString(), "--bootstrap",
                kafka.bootstrapServers(), "--topic", topic, "--encoding", "binary", "--rate", "1000"));
        assertEquals(Map.of(topic, (long) count), sent);

        RecordDecoder binary = formats(side * side, 10).decoderFor(RecordFormats.BINARY);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, count);
        for (int i = 0; i < count; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            Header contentType = r.headers().lastHeader(RecordFormats.HEADER);
            assertEquals(RecordFormats.BINARY, new String(contentType.value(), StandardCharsets.UTF_8));
            LabeledExample example = binary.decodeExample(r.value());
            assertEquals("tiny-" + i, example.id());
            assertEquals(new Label.ClassIndex(labels[i]), example.label());
            for (int j = 0; j < side * side; j++) {
                assertEquals((images[i][j] & 0xff) / 255f, example.features()[j], 0f);
            }
        }
    }

    @Test
    void jsonlRecordsKeepTheirIdsAndLabelsAndUnlabelledOnesBecomeRequests() throws Exception {
        Path file = Files.writeString(dir.resolve("records.jsonl"), String.join("\n",
                "{\"id\":\"a\",\"features\":[1.5,-2],\"label\":2}",
                "{\"id\":\"b\",\"features\":[0,0.25],\"label\":[0.5,1]}",
                "",
                "{\"id\":\"c\",\"features\":[3,4]}") + "\n");
        String run = UUID.randomUUID().toString().substring(0, 8);

        Map<String, Long> sent = FeedCommand.run(List.of(file.toString(), "--bootstrap", kafka.bootstrapServers(),
                "--topic", "jsonl-" + run, "--request-topic", "jsonl-requests-" + run, "--encoding", "binary"));

        assertEquals(Map.of("jsonl-" + run, 2L, "jsonl-requests-" + run, 1L), sent);
        List<ConsumerRecord<byte[], byte[]>> examples = readAll("jsonl-" + run, 2);
        RecordDecoder classes = formats(2, 3).decoderFor(RecordFormats.BINARY);
        LabeledExample a = classes.decodeExample(examples.get(0).value());
        assertEquals("a", a.id());
        assertArrayEquals(new float[] {1.5f, -2f}, a.features());
        assertEquals(new Label.ClassIndex(2), a.label());
        Label.Values b = (Label.Values) new RecordFormats(new ObjectMapper(), 2, 2, LossKind.MSE, 1 << 20)
                .decoderFor(RecordFormats.BINARY).decodeExample(examples.get(1).value()).label();
        assertArrayEquals(new float[] {0.5f, 1f}, b.values());
        PredictionRequest c = classes.decodeRequest(readAll("jsonl-requests-" + run, 1).get(0).value());
        assertEquals("c", c.id());
        assertArrayEquals(new float[] {3f, 4f}, c.features());
    }

    @Test
    void aBadFileNamesTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,0\n1,x,1\n");
        IOException e = assertThrows(IOException.class, () -> FeedCommand.run(List.of(file.toString(),
                "--bootstrap", kafka.bootstrapServers())));
        assertTrue(e.getMessage().endsWith("line 3: column 'b' is not a number: x"), e.getMessage());
    }

    private static RecordFormats formats(int inputSize, int outputSize) {
        return new RecordFormats(new ObjectMapper(), inputSize, outputSize, LossKind.CROSS_ENTROPY, 1 << 20);
    }

    private static void writeIdx(Path file, int magic, int count, int[] dims, byte[][] rows) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(magic);
            out.writeInt(count);
            for (int d : dims) {
                out.writeInt(d);
            }
            for (byte[] row : rows) {
                out.write(row);
            }
        }
    }

    /** Reads the topic from the beginning until {@code expected} records arrived, and checks no more follow. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "feed-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        assertEquals(expected, out.size(), "records read back from " + topic);
        return out;
    }
}
