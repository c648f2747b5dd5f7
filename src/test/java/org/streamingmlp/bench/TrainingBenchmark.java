package org.streamingmlp.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * Training throughput on Fashion-MNIST: MLP 784-256-256-10 (ReLU, dropout 0.2), AdamW (lr 1e-3, wd 0.01), clipping at
 * 1.0, cosine schedule over the whole run, float32, through the public {@link OnlineLearner#learnMany} API.
 * Prints examples/s per epoch and the median, effective GFLOP/s, the test accuracy after the first epoch, the cost of
 * one {@link OnlineLearner#snapshot} (the service takes one after every step by default), and ND4J/JavaCPP off-heap
 * memory ({@code Pointer.physicalBytes()}: resident bytes of the process; {@code Pointer.totalBytes()}: bytes
 * currently allocated through JavaCPP) at start and end.
 *
 * <p>Effective GFLOP/s = GEMM FLOPs per example x examples / seconds, counting the matrix products a step really
 * computes (a multiply-add is 2 FLOPs; {@code P_w} = weights = sum of in x out over the layers):
 * <pre>
 *   forward                          2 P_w
 *   backward, weight gradients       2 P_w
 *   backward, input gradients        2 (P_w - in_1 x out_1)   (the first layer needs no input gradient)
 *   per example                      6 P_w - 2 in_1 out_1 = 1,211,392 for 784-256-256-10 (P_w = 268,800)
 * </pre>
 * Bias additions and bias gradients (2 x 522 per example), activations, dropout, the loss and AdamW (per step, not
 * per example) are left out: they are not matrix products. Earlier figures used 6 x parameters (1,615,932 per
 * example), which counts an input gradient of the first layer that is never computed: multiply them by 0.7497.
 *
 * <pre>
 *   ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   OPENBLAS_CORETYPE=SKYLAKEX OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *       org.streamingmlp.bench.TrainingBenchmark [dataDir=/usr/share/datasets/fashion-mnist] [batches=64,256] [epochs=3]
 * </pre>
 * Memory mode, {@code -Dsteps=100000 [-Dbatch=16] [-DsnapshotEvery=1]}: that many optimizer steps cycling over the
 * shuffled training set, a snapshot every {@code snapshotEvery} steps (0: none), printing {@code physicalBytes},
 * {@code totalBytes} and the heap in use every 10,000 steps, to show that resident memory stays flat.
 * Pixels are scaled to [0, 1]. {@code -Dwarmup=20}: linear warm-up steps before the cosine (default 0);
 * {@code -DwarmupEpochs=1}: epochs trained (and printed) before the timed ones and left out of the median (default
 * 0): the first epoch of a fresh JVM runs partly interpreted while the JIT compiles the step (at batch 256 on the
 * 2-core machine: epoch 1 60,628, epoch 2 78,388, epochs 3-8 81,490-88,490 examples/s); a long-running service runs
 * compiled code, so the steady-state figure is the median after them. {@code bench/torch_trainer.py
 * --warmup-epochs} gives the PyTorch peer the same. They count in the learning-rate schedule's length;
 * {@code -DmaxSecondsPerBatch=40}: no further epoch once a batch size has trained this long (warm-up included);
 * {@code -Dresult=FILE}: also write the figures as JSON (used by {@code bench/run.sh}).
 */
public final class TrainingBenchmark {

    public record Dataset(float[][] images, int[] labels) {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        int[] batchSizes = Arrays.stream((args.length > 1 ? args[1] : "64,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Dataset train = load(dir, "train");
        Dataset test = load(dir, "t10k");
        System.out.printf("train %d, test %d examples; OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s%n",
                train.labels().length, test.labels().length, System.getenv("OMP_NUM_THREADS"),
                System.getenv("OPENBLAS_CORETYPE"));
        printMemory("start");
        long steps = Long.getLong("steps", 0L);
        List<Map<String, Object>> results = new ArrayList<>();
        if (steps > 0) {
            memoryRun(train, Integer.getInteger("batch", 16), steps, Integer.getInteger("snapshotEvery", 1));
        } else {
            for (int batch : batchSizes) {
                results.add(run(train, test, batch, epochs));
            }
        }
        printMemory("end");
        String result = System.getProperty("result");
        if (result != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", "784-256-256-10");
            out.put("gemmFlopsPerExample", GEMM_FLOPS_PER_EXAMPLE);
            out.put("flopsFormula", "6*P_w - 2*784*256, P_w = 268800 weights");
            out.put("warmupSteps", Integer.getInteger("warmup", 0));
            out.put("warmupEpochs", Integer.getInteger("warmupEpochs", 0));
            out.put("results", results);
            Files.createDirectories(Paths.get(result).toAbsolutePath().getParent());
            Files.writeString(Paths.get(result), new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(out));
        }
    }

    static final int[] SIZES = {784, 256, 256, 10};
    static final long PARAMETERS = 784L * 256 + 256 + 256L * 256 + 256 + 256L * 10 + 10;
    static final long GEMM_FLOPS_PER_EXAMPLE = gemmFlopsPerExample(SIZES);

    /**
     * Matrix-product FLOPs of one training example through Linear layers of these widths: forward 2 P_w, weight
     * gradients 2 P_w, input gradients 2 P_w less the first layer's (never computed), P_w = sum of in x out.
     */
    static long gemmFlopsPerExample(int[] sizes) {
        long weights = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            weights += (long) sizes[i] * sizes[i + 1];
        }
        long firstLayer = (long) sizes[0] * sizes[1];
        return 2 * weights + 2 * weights + 2 * (weights - firstLayer);
    }

    static void printMemory(String label) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf("off-heap at %s: physicalBytes %.1f MB, totalBytes %.1f MB (heap used %.1f MB)%n", label,
                Pointer.physicalBytes() / 1e6, Pointer.totalBytes() / 1e6, (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }

    /** Many steps at a small batch, snapshotting as the service does, printing memory every 10,000 steps. */
    static void memoryRun(Dataset train, int batch, long steps, int snapshotEvery) {
        int n = train.labels().length;
        MlpConfig model = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, Normalization.NONE);
        TrainingConfig config = new TrainingConfig(model, LossKind.CROSS_ENTROPY, AdamWConfig.defaults(),
                ScheduleConfig.defaults(), 1.0, 42L, DataType.FLOAT);
        OnlineLearner learner = new OnlineLearner(config);
        Random random = new Random(1);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        float[][] x = new float[batch][];
        int[] y = new int[batch];
        int cursor = 0;
        long t0 = System.nanoTime();
        ModelSnapshot latest = null;
        System.out.printf("memory run: %d steps at batch %d, snapshot every %d step(s), warm-restart cosine%n", steps,
                batch, snapshotEvery);
        for (long s = 1; s <= steps; s++) {
            for (int i = 0; i < batch; i++) {
                if (cursor == n) {
                    shuffle(order, random);
                    cursor = 0;
                }
                x[i] = train.images()[order[cursor]];
                y[i] = train.labels()[order[cursor++]];
            }
            learner.learnMany(x, new Targets.Classes(y.clone()));
            if (snapshotEvery > 0 && s % snapshotEvery == 0) {
                latest = learner.snapshot(s);
            }
            if (s % 10_000 == 0) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf("step %7d: physicalBytes %.1f MB, totalBytes %.1f MB, heap used %.1f MB, %.0f steps/s%n",
                        s, Pointer.physicalBytes() / 1e6, Pointer.totalBytes() / 1e6,
                        (rt.totalMemory() - rt.freeMemory()) / 1e6, s / ((System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.printf("memory run done: %d steps, skipped %d, last snapshot version %d%n", learner.step(),
                learner.skippedUpdates(), latest == null ? -1 : latest.version());
    }

    static Map<String, Object> run(Dataset train, Dataset test, int batch, int epochs) {
        int n = train.labels().length;
        int stepsPerEpoch = n / batch;
        int warmupEpochs = Integer.getInteger("warmupEpochs", 0);
        MlpConfig model = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, Normalization.NONE);
        TrainingConfig config = new TrainingConfig(model, LossKind.CROSS_ENTROPY, AdamWConfig.defaults(),
                new ScheduleConfig(Integer.getInteger("warmup", 0), (long) stepsPerEpoch * (warmupEpochs + epochs), 0.0,
                        false), 1.0,
                42L, DataType.FLOAT);
        OnlineLearner learner = new OnlineLearner(config);
        Random random = new Random(1);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[][][] xs = new float[stepsPerEpoch][][];
        int[][] ys = new int[stepsPerEpoch][];
        List<Double> rates = new ArrayList<>();
        List<Double> warmupRates = new ArrayList<>();
        double firstAccuracy = Double.NaN;
        double spent = 0;
        double maxSeconds = Double.parseDouble(System.getProperty("maxSecondsPerBatch", "1e9"));
        for (int epoch = 0; epoch < warmupEpochs + epochs; epoch++) {
            boolean warmup = epoch < warmupEpochs;
            shuffle(order, random);
            for (int s = 0; s < stepsPerEpoch; s++) {
                xs[s] = new float[batch][];
                ys[s] = new int[batch];
                for (int i = 0; i < batch; i++) {
                    int k = order[s * batch + i];
                    xs[s][i] = train.images()[k];
                    ys[s][i] = train.labels()[k];
                }
            }
            long t0 = System.nanoTime();
            double lossSum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                lossSum += learner.learnMany(xs[s], new Targets.Classes(ys[s])).loss();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = stepsPerEpoch * (double) batch / seconds;
            (warmup ? warmupRates : rates).add(rate);
            String accuracy = "";
            if (epoch == 0) {
                firstAccuracy = accuracy(learner.snapshot(1), test);
                accuracy = String.format(", test accuracy %.4f", firstAccuracy);
            }
            System.out.printf("batch %d %s %d: %.0f examples/s (%.2f s), mean train loss %.4f%s%n", batch,
                    warmup ? "warm-up epoch" : "epoch", epoch + 1, rate, seconds, lossSum / stepsPerEpoch, accuracy);
            spent += seconds;
            if (spent > maxSeconds && !rates.isEmpty()) {
                System.out.printf("batch %d: stopping after %d epochs, -DmaxSecondsPerBatch=%.0f passed%n", batch,
                        epoch + 1, maxSeconds);
                break;
            }
        }
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(Double::compare);
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("batch %d: median %.0f examples/s over %d epochs after %d warm-up = %.1f GEMM GFLOP/s "
                        + "(%,d FLOPs per example x examples/s), skipped updates %d%n", batch, median, rates.size(),
                warmupRates.size(),
                GEMM_FLOPS_PER_EXAMPLE * median / 1e9, GEMM_FLOPS_PER_EXAMPLE, learner.skippedUpdates());
        long[] snapshotNanos = new long[200];
        for (int i = 0; i < snapshotNanos.length; i++) {
            long a = System.nanoTime();
            learner.snapshot(i);
            snapshotNanos[i] = System.nanoTime() - a;
        }
        Arrays.sort(snapshotNanos);
        System.out.printf("batch %d: snapshot median %.1f us (200 snapshots)%n", batch,
                snapshotNanos[snapshotNanos.length / 2] / 1e3);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch", batch);
        result.put("epochs", rates.size());
        result.put("examplesPerSecond", median);
        result.put("epochRates", rates);
        result.put("warmupEpochRates", warmupRates);
        result.put("gemmGflops", GEMM_FLOPS_PER_EXAMPLE * median / 1e9);
        result.put("testAccuracyAfterEpoch1", firstAccuracy);
        result.put("snapshotMedianMicros", snapshotNanos[snapshotNanos.length / 2] / 1e3);
        result.put("skippedUpdates", learner.skippedUpdates());
        return result;
    }

    static double accuracy(ModelSnapshot snapshot, Dataset test) {
        int correct = 0;
        int n = test.labels().length;
        for (int start = 0; start < n; start += 1000) {
            int end = Math.min(n, start + 1000);
            float[][] p = snapshot.predict(Arrays.copyOfRange(test.images(), start, end));
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                for (int j = 1; j < p[i].length; j++) {
                    if (p[i][j] > p[i][best]) {
                        best = j;
                    }
                }
                correct += best == test.labels()[start + i] ? 1 : 0;
            }
        }
        return correct / (double) n;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public static Dataset load(Path dir, String prefix) throws IOException {
        float[][] images;
        int[] labels;
        try (DataInputStream in = open(dir.resolve(prefix + "-images-idx3-ubyte"))) {
            if (in.readInt() != 0x803) {
                throw new IOException("not an IDX image file");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            images = new float[count][rows * cols];
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                in.readFully(pixels);
                for (int j = 0; j < pixels.length; j++) {
                    images[i][j] = (pixels[j] & 0xff) / 255f;
                }
            }
        }
        try (DataInputStream in = open(dir.resolve(prefix + "-labels-idx1-ubyte"))) {
            if (in.readInt() != 0x801) {
                throw new IOException("not an IDX label file");
            }
            int count = in.readInt();
            labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new Dataset(images, labels);
    }

    private static DataInputStream open(Path withoutGz) throws IOException {
        Path gz = Paths.get(withoutGz + ".gz");
        InputStream raw = Files.exists(withoutGz) ? Files.newInputStream(withoutGz)
                : new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
        return new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
    }
}
