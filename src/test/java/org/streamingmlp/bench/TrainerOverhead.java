package org.streamingmlp.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;

/**
 * What the trainer thread adds to a raw optimizer step: the prequential forward pass (predict, then learn) and a
 * snapshot per step, on 784-256-256-10 at batch 64 with random inputs; median microseconds per step of each variant,
 * interleaved in rounds so that a noisy machine hits every variant alike.
 * <pre>
 *   java -cp ... org.streamingmlp.bench.TrainerOverhead [batch=64] [rounds=15] [steps=200]
 * </pre>
 */
public final class TrainerOverhead {

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        OnlineLearner learner = new OnlineLearner(TrainingConfig.defaults(MlpConfig.of(784, List.of(256, 256), 10)));
        SplittableRandom random = new SplittableRandom(1);
        float[][][] xs = new float[16][batch][784];
        int[][] ys = new int[16][batch];
        for (int b = 0; b < xs.length; b++) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < 784; j++) {
                    xs[b][i][j] = (float) random.nextDouble();
                }
                ys[b][i] = random.nextInt(10);
            }
        }
        String[] names = {"learn", "predict+learn", "learn+snapshot"};
        double[][] perStep = new double[names.length][rounds];
        long version = 0;
        for (int round = -2; round < rounds; round++) {   // two warm-up rounds
            for (int v = 0; v < names.length; v++) {
                long start = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    float[][] x = xs[s % xs.length];
                    if (v == 1) {
                        learner.predict(x, null);
                    }
                    learner.learnMany(x, new Targets.Classes(ys[s % ys.length]));
                    if (v == 2) {
                        learner.snapshot(++version);
                    }
                }
                if (round >= 0) {
                    perStep[v][round] = (System.nanoTime() - start) / 1e3 / steps;
                }
            }
        }
        for (int v = 0; v < names.length; v++) {
            double[] sorted = perStep[v].clone();
            Arrays.sort(sorted);
            System.out.printf("%-16s median %7.1f us/step  (range %.1f-%.1f)  %6.0f examples/s%n", names[v],
                    sorted[rounds / 2], sorted[0], sorted[rounds - 1], batch * 1e6 / sorted[rounds / 2]);
        }
    }
}
