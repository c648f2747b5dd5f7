package org.streamingmlp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.optim.ScheduleConfig;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.Gemm;
import org.streamingmlp.nn.HelperThread;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.record.ConsumedExample;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.SourceOffset;
import org.streamingmlp.serving.SnapshotRegistry;
import org.streamingmlp.trainer.Checkpointer;
import org.streamingmlp.trainer.Evaluator;
import org.streamingmlp.trainer.StreamPositions;
import org.streamingmlp.trainer.Trainer;
import org.streamingmlp.trainer.TrainingInbox;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingStatistics;
import org.streamingmlp.trainer.ValidationWindow;
import org.streamingmlp.trainer.VersionedModel;

/**
 * The service's trainer loop fed without Kafka, against the raw trainer, in one JVM: splits the end-to-end gap into
 * what the trainer thread adds (prequential scoring, snapshot publication, statistics, the inbox hand-off) and what
 * Kafka and the ingest cost. Fashion-MNIST, 784-256-256-10 as {@code config/fashion-mnist.env}, batch 64, the
 * service's defaults (no product split, the step helper parks at once, a snapshot at most every 50 ms in a backlog).
 * Rounds alternate: "raw" ({@code learnMany} on pre-sliced batches) and "trainer" (a {@link Trainer} fed by a
 * feeder thread that copies each example's features, as a decoder allocates them, and puts it into the
 * {@link TrainingInbox}); each round is one epoch. Prints median and range of examples/s, and the trainer and
 * feeder threads' CPU microseconds per example.
 * <pre>
 *   java -cp ... org.streamingmlp.bench.TrainerLoopThroughput /usr/share/datasets/fashion-mnist [rounds=5]
 * </pre>
 */
public final class TrainerLoopThroughput {

    private static final int BATCH = 64;

    public static void main(String[] args) throws Exception {
        TrainingBenchmark.Dataset train = TrainingBenchmark.load(Path.of(args[0]), "train");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Gemm.splitAcrossHelper(false);   // the service's default, mlp.training.parallel-step=false
        HelperThread.spinMicros(0);
        MlpConfig model = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, Normalization.NONE);
        TrainingConfig config = new TrainingConfig(model, LossKind.CROSS_ENTROPY, AdamWConfig.defaults(),
                ScheduleConfig.defaults(), 1.0, 42L, DataType.FLOAT);
        float[][] images = train.images();
        int[] labels = train.labels();
        int n = images.length - images.length % BATCH;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        OnlineLearner raw = new OnlineLearner(config);
        OnlineLearner served = new OnlineLearner(config);
        TrainingInbox inbox = new TrainingInbox(1_000);
        ValidationWindow window = new ValidationWindow(1_000);
        VersionedModel versioned = new VersionedModel(served, new SnapshotRegistry(),
                new VersionedModel.Schedule(Duration.ofMillis(50), 0), 0);
        ValidationMonitor monitor = new ValidationMonitor(EarlyStoppingConfig.defaults(),
                ValidationMonitor.Monitored.LOSS, false, new PageHinkley(0.01, 0.3, 3));
        Checkpointer checkpointer = new Checkpointer(Optional.empty(),
                new Checkpointer.Schedule(1_000_000, Duration.ofHours(1)), new TreeMap<>(Map.of("k", "v")),
                new StreamPositions(Map.of(), window), 0);
        Trainer trainer = new Trainer(inbox.batches(BATCH, Duration.ofMillis(200)), versioned,
                new Evaluator(versioned, window, monitor, new Evaluator.Schedule(50, 100)), checkpointer,
                new TrainingStatistics(OptionalInt.of(10), 0.999, Duration.ofSeconds(5), 0, TrainingListener.NONE));
        Thread trainerThread = new Thread(trainer, "mlp-trainer");
        trainerThread.setDaemon(true);
        trainerThread.start();

        double[][] rates = new double[2][rounds];
        double[] trainerCpu = new double[rounds];
        double[] feederCpu = new double[rounds];
        long fed = 0;
        for (int round = -1; round < rounds; round++) {   // one warm-up round of each
            // raw
            long t0 = System.nanoTime();
            for (int s = 0; s + BATCH <= n; s += BATCH) {
                raw.learnMany(Arrays.copyOfRange(images, s, s + BATCH),
                        new Targets.Classes(Arrays.copyOfRange(labels, s, s + BATCH)));
            }
            double rawRate = n / ((System.nanoTime() - t0) / 1e9);
            // trainer, fed through the inbox
            long target = fed + n;
            long startFed = fed;
            long[] feederNanos = new long[1];
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        LabeledExample e = new LabeledExample(null, images[i].clone(), new Label.ClassIndex(labels[i]));
                        inbox.put(new ConsumedExample(e, new SourceOffset("t", 0, startFed + i)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                feederNanos[0] = threads.getCurrentThreadCpuTime();
            }, "feeder");
            long cpu0 = threads.getThreadCpuTime(trainerThread.getId());
            t0 = System.nanoTime();
            feeder.start();
            while (trainer.status().training().examplesSeen() < target) {
                Thread.sleep(0, 200_000);
            }
            double trainerRate = n / ((System.nanoTime() - t0) / 1e9);
            feeder.join();
            fed = target;
            if (round >= 0) {
                rates[0][round] = rawRate;
                rates[1][round] = trainerRate;
                trainerCpu[round] = (threads.getThreadCpuTime(trainerThread.getId()) - cpu0) / 1e3 / n;
                feederCpu[round] = feederNanos[0] / 1e3 / n;
            }
            System.out.printf("round %d: raw %,.0f examples/s, trainer loop %,.0f examples/s%n", round, rawRate,
                    trainerRate);
        }
        trainer.stop();
        String[] names = {"raw learnMany", "trainer loop"};
        for (int v = 0; v < 2; v++) {
            double[] s = rates[v].clone();
            Arrays.sort(s);
            System.out.printf("%-14s median %,8.0f examples/s (range %,.0f-%,.0f)%n", names[v], s[rounds / 2], s[0],
                    s[rounds - 1]);
        }
        Arrays.sort(trainerCpu);
        Arrays.sort(feederCpu);
        System.out.printf("trainer thread CPU %.1f us/example (median), feeder %.1f us/example%n",
                trainerCpu[rounds / 2], feederCpu[rounds / 2]);
        System.exit(0);
    }
}
