package org.streamingmlp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordDecoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.LabeledExample;

/**
 * What decoding one labelled Fashion-MNIST training record costs on the Kafka path, JSON against binary, with no
 * Kafka in the way: {@link RecordDecoder#decodeExample} over the first {@value #RECORDS} training images, encoded
 * exactly as {@link ServiceBenchmark} pre-loads them (JSON pixels {@code %.4f}, a zero as {@code 0}; binary by
 * {@link BinaryRecordEncoder}). Time and heap bytes allocated per record (the calling thread's), medians of
 * {@value #ROUNDS} rounds over all records after {@value #WARM_UP} warm-up rounds; the formats alternate round by
 * round, so both see the same minutes. Run with the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench/cp.txt)
 * org.streamingmlp.bench.ExampleDecodeCost [fashion-mnist dir]}.
 */
public final class ExampleDecodeCost {

    private static final int RECORDS = 10_000;
    private static final int ROUNDS = 15;
    private static final int WARM_UP = 10;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        TrainingBenchmark.Dataset train = TrainingBenchmark.load(dir, "train");
        String[] pixelText = new String[256];
        for (int v = 0; v < 256; v++) {
            pixelText[v] = v == 0 ? "0" : String.format(Locale.ROOT, "%.4f", v / 255.0);
        }
        byte[][] json = new byte[RECORDS][];
        byte[][] binary = new byte[RECORDS][];
        long jsonBytes = 0;
        long binaryBytes = 0;
        for (int i = 0; i < RECORDS; i++) {
            String id = "e-0-" + i;
            float[] image = train.images()[i];
            StringBuilder b = new StringBuilder(image.length * 5 + 64);
            b.append("{\"id\":\"").append(id).append("\",\"features\":[");
            for (int j = 0; j < image.length; j++) {
                b.append(j > 0 ? "," : "").append(pixelText[Math.round(image[j] * 255f)]);
            }
            json[i] = b.append("],\"label\":").append(train.labels()[i]).append('}').toString()
                    .getBytes(StandardCharsets.UTF_8);
            binary[i] = BinaryRecordEncoder.example(id, image, train.labels()[i]);
            jsonBytes += json[i].length;
            binaryBytes += binary[i].length;
        }
        RecordFormats formats = new RecordFormats(new ObjectMapper(), 784, 10, LossKind.CROSS_ENTROPY, 1 << 20);
        RecordDecoder jsonDecoder = formats.decoderFor(RecordFormats.JSON);
        RecordDecoder binaryDecoder = formats.decoderFor(RecordFormats.BINARY);
        check(jsonDecoder, json, binaryDecoder, binary);

        double[][] nanos = new double[2][ROUNDS];
        long[][] bytes = new long[2][ROUNDS];
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            for (int f = 0; f < 2; f++) {
                long[] m = round(f == 0 ? jsonDecoder : binaryDecoder, f == 0 ? json : binary);
                if (r >= 0) {
                    nanos[f][r] = m[0] / (double) RECORDS;
                    bytes[f][r] = m[1] / RECORDS;
                }
            }
        }
        System.out.printf("%nexample decoding, %,d Fashion-MNIST training records, %s%n", RECORDS,
                System.getProperty("java.vm.version"));
        System.out.printf("%-8s %10s %22s %14s%n", "format", "bytes/rec", "us/record (min-med-max)", "alloc B/rec");
        for (int f = 0; f < 2; f++) {
            double[] n = nanos[f].clone();
            long[] a = bytes[f].clone();
            Arrays.sort(n);
            Arrays.sort(a);
            System.out.printf("%-8s %10d %8.2f %6.2f %6.2f %14d%n", f == 0 ? "JSON" : "binary",
                    (f == 0 ? jsonBytes : binaryBytes) / RECORDS, n[0] / 1000, n[ROUNDS / 2] / 1000,
                    n[ROUNDS - 1] / 1000, a[ROUNDS / 2]);
        }
    }

    /** Nanoseconds and bytes allocated for decoding every record once. */
    private static long[] round(RecordDecoder decoder, byte[][] records) throws Exception {
        long thread = Thread.currentThread().getId();
        int sink = 0;
        long b0 = THREADS.getThreadAllocatedBytes(thread);
        long t0 = System.nanoTime();
        for (byte[] record : records) {
            sink += decoder.decodeExample(record).features().length;
        }
        long t1 = System.nanoTime();
        long b1 = THREADS.getThreadAllocatedBytes(thread);
        if (sink != records.length * 784) {
            throw new IllegalStateException("wrong feature count");
        }
        return new long[] {t1 - t0, b1 - b0};
    }

    /** Both formats decode every record to the same example (the benchmark compares equal work). */
    private static void check(RecordDecoder jsonDecoder, byte[][] json, RecordDecoder binaryDecoder, byte[][] binary)
            throws Exception {
        for (int i = 0; i < json.length; i++) {
            LabeledExample a = jsonDecoder.decodeExample(json[i]);
            LabeledExample b = binaryDecoder.decodeExample(binary[i]);
            if (!a.id().equals(b.id()) || !a.label().equals(b.label())) {
                throw new IOException("record " + i + " decodes differently: " + a + " / " + b);
            }
            for (int j = 0; j < 784; j++) {
                if (Math.abs(a.features()[j] - b.features()[j]) > 1e-4f) {
                    throw new IOException("record " + i + " feature " + j + ": " + a.features()[j] + " / "
                            + b.features()[j]);
                }
            }
        }
    }
}
