package org.streamingmlp.learner;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.ArrayViews;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.Mlp;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Softmax;

/**
 * Evaluation-mode forward passes for the snapshots of one model: a pool of workspaces, each an off-heap model of
 * the same architecture with its own input and activation arrays. A caller takes a workspace, loads the snapshot's
 * parameters into it unless it holds them already (one bulk copy of the flat buffer), predicts, and gives it back.
 * So predictions on any number of threads run in parallel without a lock, and a new snapshot costs nothing until
 * it answers: no off-heap allocation per snapshot, one workspace per concurrent caller. Thread-safe.
 */
final class Inference {

    private final TrainingConfig config;
    private final ConcurrentLinkedQueue<Workspace> idle = new ConcurrentLinkedQueue<>();

    Inference(TrainingConfig config) {
        this.config = config;
    }

    TrainingConfig config() {
        return config;
    }

    /** Outputs after the head for raw (unscaled) features, computed with {@code snapshot}'s parameters. */
    float[][] predict(ModelSnapshot snapshot, float[][] features, int[][] categories) {
        Workspace workspace = idle.poll();
        if (workspace == null) {
            workspace = new Workspace();
        }
        try {
            workspace.load(snapshot);
            INDArray x = workspace.converter.features(snapshot.featureScaling().apply(features), categories,
                    paddedRows(features.length));
            INDArray out = workspace.model.forward(x, false);
            return head(out, workspace.views.buffer(out), features.length, config);
        } finally {
            idle.offer(workspace);
        }
    }

    /**
     * Rows of {@code out} after the loss's head: softmax for the classification losses, sigmoid for
     * BCE_WITH_LOGITS, raw values for the regression losses and CONTRASTIVE embeddings. Overwrites {@code out}.
     */
    static float[][] head(INDArray out, TrainingConfig config) {
        return head(out, NumericBuffer.of(out), (int) out.rows(), config);
    }

    /**
     * Rows a forward pass of {@code n} examples runs on: {@code n} up to 8, above that {@code n} rounded up to a
     * quarter of the power of two below it (9 -> 10, 17 -> 20, 65 -> 80, 300 -> 320). Prediction batches come in every
     * size (a Kafka poll returns whatever has arrived), and each new size would allocate new off-heap arrays in every
     * layer; so sizes share at most four shapes per doubling, which the layers' array caches keep, at the price of
     * less than a quarter more rows (zeros, whose outputs are dropped). Rows do not interact in evaluation mode, but
     * OpenBLAS picks its kernel by the product's size, so a row's outputs can differ in the last bits between batch
     * sizes (as they did between unpadded sizes before): compare answers of different paths with a tolerance.
     */
    static int paddedRows(int n) {
        if (n <= 8) {
            return n;
        }
        int step = Integer.highestOneBit(n - 1) >> 2;
        return (n + step - 1) / step * step;
    }

    /** {@link #head(INDArray, TrainingConfig)} of the first {@code n} rows, through {@code ob}, the view of {@code out}. */
    private static float[][] head(INDArray out, NumericBuffer ob, int n, TrainingConfig config) {
        int k = (int) out.columns();
        if (config.loss().classifies()) {
            Softmax.forward(ob, ob, n, k);
        } else if (config.loss() == LossKind.BCE_WITH_LOGITS) {
            for (int i = 0; i < n * k; i++) {
                ob.set(i, Activation.sigmoid(ob.get(i)));
            }
        }
        float[][] result = new float[n][k];
        for (int i = 0; i < n; i++) {
            ob.read(i * k, result[i]);
        }
        return result;
    }

    /** One caller's model and arrays; holds the parameters of the snapshot it predicted with last. */
    private final class Workspace {
        final Mlp model = Mlp.uninitialised(config.model(), config.dataType());
        final BatchConverter converter = new BatchConverter(config.model(), config.dataType());
        final ArrayViews views = new ArrayViews();
        ModelSnapshot loaded;

        void load(ModelSnapshot snapshot) {
            if (loaded != snapshot) {
                snapshot.copyInto(model);
                loaded = snapshot;
            }
        }
    }
}
