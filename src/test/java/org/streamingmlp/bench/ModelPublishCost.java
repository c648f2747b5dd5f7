package org.streamingmlp.bench;

import java.util.Arrays;
import java.util.List;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.serving.ReleaseAssembler;
import org.streamingmlp.serving.SnapshotFormat;

/**
 * What one publication to the model topic costs off the wire, for the Fashion-MNIST model (784-256-256-10): encoding
 * a snapshot (the trainer's publisher thread), its checksum, and decoding it (each predictor). Prints medians and
 * ranges of 30 rounds after 10 warm-up rounds. Run with the test classpath, e.g. after bench/run.sh built it:
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench/cp.txt) org.streamingmlp.bench.ModelPublishCost}
 */
public final class ModelPublishCost {

    public static void main(String[] args) throws Exception {
        TrainingConfig config = TrainingConfig.defaults(MlpConfig.of(784, List.of(256, 256), 10));
        ModelSnapshot snapshot = new OnlineLearner(config).snapshot(1);
        byte[] bytes = SnapshotFormat.encode(snapshot);
        int rounds = 30;
        double[] encode = new double[rounds];
        double[] checksum = new double[rounds];
        double[] decode = new double[rounds];
        for (int r = -10; r < rounds; r++) {
            long t0 = System.nanoTime();
            bytes = SnapshotFormat.encode(snapshot);
            long t1 = System.nanoTime();
            ReleaseAssembler.sha256(bytes);
            long t2 = System.nanoTime();
            SnapshotFormat.decode(bytes, 1, 0, config);
            long t3 = System.nanoTime();
            if (r >= 0) {
                encode[r] = (t1 - t0) / 1e6;
                checksum[r] = (t2 - t1) / 1e6;
                decode[r] = (t3 - t2) / 1e6;
            }
        }
        System.out.printf("snapshot of 784-256-256-10: %d bytes (%d chunks of 512 KiB)%n", bytes.length,
                (bytes.length + 524287) / 524288);
        print("encode (trainer's publisher thread)", encode);
        print("sha-256", checksum);
        print("decode (each predictor)", decode);
    }

    private static void print(String what, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("%-38s median %.2f ms, range %.2f-%.2f ms%n", what, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }
}
