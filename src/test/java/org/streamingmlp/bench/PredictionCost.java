package org.streamingmlp.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.record.PredictionRequest;

/**
 * What one prediction costs in the service's own code, with no HTTP or Kafka in the way, for the Fashion-MNIST model
 * (784-256-256-10, float32): time and heap bytes allocated per call of {@link ModelSnapshot#predict} at batch 1 and
 * 64, and per request for decoding a request body (JSON or binary, 784 features) the way each edge does. Allocation
 * is the calling thread's ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}); times are medians of
 * 15 rounds after 5 warm-up rounds. Run with the test classpath, e.g.
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench/cp.txt) org.streamingmlp.bench.PredictionCost}
 * (OPENBLAS_CORETYPE and OMP_NUM_THREADS=1 exported as bench/lib.sh does).
 */
public final class PredictionCost {

    private static final int FEATURES = 784;
    private static final int ROUNDS = 15;
    private static final int WARM_UP = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        TrainingConfig config = TrainingConfig.defaults(MlpConfig.of(FEATURES, List.of(256, 256), 10));
        ModelSnapshot snapshot = new OnlineLearner(config).snapshot(1);
        SplittableRandom random = new SplittableRandom(7);
        float[][] batch64 = new float[64][];
        for (int i = 0; i < batch64.length; i++) {
            batch64[i] = image(random);
        }
        float[][] batch1 = {batch64[0]};

        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
        RecordFormats formats = new RecordFormats(mapper, FEATURES, 10, LossKind.CROSS_ENTROPY, 1 << 20);
        byte[] json = jsonRequest(batch1[0]);
        byte[] binary = BinaryRecordEncoder.request("r-1", batch1[0]);

        List<Result> results = new ArrayList<>();
        results.add(measure("predict, batch 1 (per call)", 4_000, () -> snapshot.predict(batch1)));
        results.add(measure("predict, batch 64 (per call)", 200, () -> snapshot.predict(batch64)));
        results.add(measure("JSON body as a tree (old POST /predict)", 4_000, () -> {
            JsonNode root = mapper.readTree(new ByteArrayInputStream(json).readAllBytes());
            return formats.json().decodeRequest(root);
        }));
        results.add(measure("JSON body, one pass from the stream (POST)", 4_000,
                () -> formats.json().readRequests(new ByteArrayInputStream(json)).request(0)));
        results.add(measure("JSON record, one pass (Kafka)", 4_000, () -> formats.json().decodeRequest(json)));
        results.add(measure("binary record (Kafka)", 20_000, () -> formats.decoderFor(RecordFormats.BINARY).decodeRequest(binary)));
        results.add(measure("decode JSON + predict batch 1", 2_000, () -> {
            PredictionRequest request = formats.json().decodeRequest(json);
            return snapshot.predict(new float[][] {request.features()});
        }));

        System.out.printf("%nprediction cost, 784-256-256-10 float32, %s%n", System.getProperty("java.vm.version"));
        System.out.printf("%-42s %12s %14s%n", "what", "us/call", "bytes/call");
        for (Result r : results) {
            System.out.printf("%-42s %12.2f %14d%n", r.what, r.nanos / 1000.0, r.bytes);
        }
    }

    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    record Result(String what, double nanos, long bytes) {
    }

    /** Median over rounds of the mean time and allocation per call, {@code calls} calls a round. */
    static Result measure(String what, int calls, Call call) throws Exception {
        double[] nanos = new double[ROUNDS];
        long[] bytes = new long[ROUNDS];
        long thread = Thread.currentThread().getId();
        Object sink = null;
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            long b0 = THREADS.getThreadAllocatedBytes(thread);
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink = call.run();
            }
            long t1 = System.nanoTime();
            long b1 = THREADS.getThreadAllocatedBytes(thread);
            if (r >= 0) {
                nanos[r] = (t1 - t0) / (double) calls;
                bytes[r] = (b1 - b0) / calls;
            }
        }
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        return new Result(what, nanos[ROUNDS / 2], bytes[ROUNDS / 2]);
    }

    /** A Fashion-MNIST-like image: half zeros, the rest pixel intensities scaled to [0, 1] as JSON would carry them. */
    static float[] image(SplittableRandom random) {
        float[] x = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            x[j] = random.nextBoolean() ? 0f : random.nextInt(1, 256) / 255f;
        }
        return x;
    }

    static byte[] jsonRequest(float[] features) {
        StringBuilder s = new StringBuilder("{\"id\":\"r-1\",\"features\":[");
        for (int j = 0; j < features.length; j++) {
            s.append(j == 0 ? "" : ",").append(features[j]);
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
