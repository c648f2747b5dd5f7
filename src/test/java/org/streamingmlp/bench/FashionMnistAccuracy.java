package org.streamingmlp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.bench.TrainingBenchmark.Dataset;
import org.streamingmlp.learner.EarlyStopping;
import org.streamingmlp.learner.EarlyStoppingConfig;
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
 * Learning quality of the primer's recipe on Fashion-MNIST: MLP 784-256-256-10, ReLU, dropout 0.2, Xavier-uniform
 * weights and zero biases, AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 on every parameter),
 * global-norm clipping at 1.0, cosine annealing to 0 over the T optimizer steps of the run without warm-up
 * (PyTorch {@code CosineAnnealingLR(T_max=T)} stepped per batch), batch 64 keeping the last partial batch (PyTorch
 * {@code DataLoader} default), float32, seed 42 ({@code -Dseed=...}). Pixels are scaled to [0, 1]; {@code -Dnormalize=true} further
 * standardises them with the usual Fashion-MNIST mean 0.2860 and std 0.3530.
 *
 * <pre>
 *   ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   OPENBLAS_CORETYPE=SKYLAKEX OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *       org.streamingmlp.bench.FashionMnistAccuracy one-epoch|early-stopping [dataDir=/usr/share/datasets/fashion-mnist]
 * </pre>
 * <ul>
 *   <li>{@code one-epoch}: one pass over the 60,000 training images in file order (938 steps), then test accuracy.</li>
 *   <li>{@code early-stopping}: the first 50,000 training images train (reshuffled every epoch, seeded), the last
 *   10,000 validate ({@code -Dsplit=random}: a seeded random 50,000/10,000 split instead, like
 *   {@code random_split}); after each epoch the validation loss (evaluation mode) feeds {@link EarlyStopping} (patience 5,
 *   min_delta 0, mode min); the best epoch's snapshot is restored when it fires (or after {@code -DmaxEpochs=50});
 *   the cosine runs over {@code maxEpochs} epochs of steps. Prints the stopping epoch, the best epoch and the test
 *   accuracy of the restored model.</li>
 * </ul>
 */
public final class FashionMnistAccuracy {
    static final int BATCH = 64;

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "one-epoch";
        Path dir = Paths.get(args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist");
        Dataset train = TrainingBenchmark.load(dir, "train");
        Dataset test = TrainingBenchmark.load(dir, "t10k");
        boolean normalize = Boolean.getBoolean("normalize");
        if (normalize) {
            standardise(train.images());
            standardise(test.images());
        }
        System.out.printf("mode %s, inputs %s%n", mode, normalize ? "standardised (x/255 - 0.2860)/0.3530" : "x/255 in [0,1]");
        switch (mode) {
            case "one-epoch" -> oneEpoch(train, test);
            case "early-stopping" -> earlyStopping(train, test, Integer.getInteger("maxEpochs", 50));
            default -> throw new IllegalArgumentException("mode must be one-epoch or early-stopping, got " + mode);
        }
    }

    static TrainingConfig recipe(long totalSteps) {
        MlpConfig model = new MlpConfig(784, List.of(256, 256), 10, Activation.RELU, 0.01, 0.2, Normalization.NONE);
        return new TrainingConfig(model, LossKind.CROSS_ENTROPY, AdamWConfig.defaults(),
                new ScheduleConfig(0, totalSteps, 0.0, false), 1.0, Long.getLong("seed", 42L), DataType.FLOAT);
    }

    static void oneEpoch(Dataset train, Dataset test) {
        int n = train.labels().length;
        int steps = (n + BATCH - 1) / BATCH;
        OnlineLearner learner = new OnlineLearner(recipe(steps));
        long t0 = System.nanoTime();
        double loss = 0;
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            loss += learner.learnMany(Arrays.copyOfRange(train.images(), start, end),
                    new Targets.Classes(Arrays.copyOfRange(train.labels(), start, end))).loss();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = TrainingBenchmark.accuracy(learner.snapshot(1), test);
        System.out.printf("one epoch in file order, batch %d, %d steps (cosine T = %d): mean train loss %.4f, "
                + "%.1f s, skipped %d%n", BATCH, learner.step(), steps, loss / steps, seconds, learner.skippedUpdates());
        System.out.printf("test accuracy %.4f (PyTorch 1.13, same recipe: ~0.855)%n", accuracy);
    }

    static void earlyStopping(Dataset original, Dataset test, int maxEpochs) {
        Dataset all = original;
        if ("random".equals(System.getProperty("split", "last"))) {
            // like torch.utils.data.random_split: a seeded permutation, the first 50,000 train, the rest validate
            int[] perm = new int[original.labels().length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
            shuffle(perm, new Random(0));
            float[][] xs = new float[perm.length][];
            int[] ys = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                xs[i] = original.images()[perm[i]];
                ys[i] = original.labels()[perm[i]];
            }
            all = new Dataset(xs, ys);
        }
        int nTrain = 50_000;
        int nVal = all.labels().length - nTrain;
        float[][] valX = Arrays.copyOfRange(all.images(), nTrain, all.labels().length);
        int[] valY = Arrays.copyOfRange(all.labels(), nTrain, all.labels().length);
        int stepsPerEpoch = (nTrain + BATCH - 1) / BATCH;
        OnlineLearner learner = new OnlineLearner(recipe((long) stepsPerEpoch * maxEpochs));
        EarlyStopping stopping = new EarlyStopping(new EarlyStoppingConfig(5, 0.0, EarlyStoppingConfig.Mode.MIN));
        ModelSnapshot best = null;
        int[] order = new int[nTrain];
        for (int i = 0; i < nTrain; i++) {
            order[i] = i;
        }
        Random random = new Random(7);
        int epoch = 0;
        long t0 = System.nanoTime();
        while (epoch < maxEpochs && !stopping.stopped()) {
            epoch++;
            shuffle(order, random);
            for (int start = 0; start < nTrain; start += BATCH) {
                int len = Math.min(BATCH, nTrain - start);
                float[][] x = new float[len][];
                int[] y = new int[len];
                for (int i = 0; i < len; i++) {
                    x[i] = all.images()[order[start + i]];
                    y[i] = all.labels()[order[start + i]];
                }
                learner.learnMany(x, new Targets.Classes(y));
            }
            double valLoss = 0;
            for (int start = 0; start < nVal; start += 1000) {
                int end = Math.min(nVal, start + 1000);
                valLoss += learner.evaluateLoss(Arrays.copyOfRange(valX, start, end),
                        new Targets.Classes(Arrays.copyOfRange(valY, start, end))) * (end - start);
            }
            valLoss /= nVal;
            boolean improved = stopping.update(valLoss, learner.step());
            if (improved) {
                best = learner.snapshot(epoch);
            }
            System.out.printf("epoch %d: validation loss %.4f%s (lr %.2e)%n", epoch, valLoss,
                    improved ? " *" : "  counter " + stopping.counter(), learnerLr(learner, stepsPerEpoch, maxEpochs));
        }
        learner.restore(best);
        double accuracy = TrainingBenchmark.accuracy(learner.snapshot(0), test);
        System.out.printf("stopped after epoch %d (%s), best epoch %d (validation loss %.4f), restored; %.1f s%n",
                epoch, stopping.stopped() ? "patience 5 reached" : "max epochs", stopping.bestEpoch() + 1,
                stopping.best(), (System.nanoTime() - t0) / 1e9);
        System.out.printf("test accuracy %.4f (PyTorch 1.13, same recipe: ~0.895)%n", accuracy);
    }

    private static double learnerLr(OnlineLearner learner, int stepsPerEpoch, int maxEpochs) {
        return learner.config().schedule().create(learner.config().optimizer().learningRate())
                .learningRate(learner.step());
    }

    private static void standardise(float[][] images) {
        for (float[] row : images) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (row[j] - 0.2860f) / 0.3530f;
            }
        }
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
