package org.streamingmlp.predict;

import java.util.ArrayList;
import java.util.List;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.trainer.Score;
import org.streamingmlp.trainer.ServingModel;
import org.streamingmlp.trainer.SnapshotRegistry;

/**
 * Answers feature vectors with the newest model snapshot. Any thread may call it; it never waits for training.
 * All vectors of one call are answered by the same snapshot.
 */
public final class Predictor {

    private final SnapshotRegistry snapshots;
    private final boolean classifies;

    public Predictor(SnapshotRegistry snapshots, LossKind loss) {
        this.snapshots = snapshots;
        this.classifies = loss == LossKind.CROSS_ENTROPY || loss == LossKind.FOCAL;
    }

    /** @throws NoModelYetException before the trainer has published its first snapshot */
    public List<Prediction> predict(float[][] features) {
        return predict(features, null);
    }

    /** Like {@link #predict(float[][])}, with one row of category indices per vector (null without a schema). */
    public List<Prediction> predict(float[][] features, int[][] categories) {
        ServingModel snapshot = snapshots.current().orElseThrow(NoModelYetException::new);
        float[][] outputs = snapshot.predict(features, categories);
        List<Prediction> predictions = new ArrayList<>(outputs.length);
        for (float[] row : outputs) {
            predictions.add(new Prediction(classifies ? Score.argmax(row) : null, row, snapshot.version()));
        }
        return predictions;
    }

    /** No snapshot has been published yet: the service is not ready. */
    public static final class NoModelYetException extends RuntimeException {
        public NoModelYetException() {
            super("no model snapshot has been published yet");
        }
    }
}
