package org.streamingmlp.learner;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamingmlp.nn.ArrayViews;
import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.ScratchArrays;

/**
 * Validates Java arrays at the learner's boundary and copies them into reusable ND4J arrays of the model's type.
 * Not thread-safe: each owner (learner, snapshot) has its own.
 */
final class BatchConverter {
    private final MlpConfig model;
    private final ScratchArrays cache;
    private final ArrayViews views = new ArrayViews();
    private float[] zeroRow;

    BatchConverter(MlpConfig model, DataType dataType) {
        this.model = model;
        this.cache = new ScratchArrays(dataType);
    }

    private INDArray array(String role, long rows, long cols) {
        return cache.get(role, rows, cols);
    }

    /** {@code [N, inputSize]} from rows of features; N >= 1, every row of length inputSize. */
    INDArray features(float[][] features) {
        return features(features, null);
    }

    /**
     * {@code [N, inputSize + K]}: each row's numeric features followed by its K category indices (as exact floats).
     * {@code categories} may be null when the model has no categorical fields; otherwise it has one row of K
     * indices per example, each in {@code [0, cardinality]} of its field.
     */
    INDArray features(float[][] features, int[][] categories) {
        return features(features, categories, features == null ? 0 : features.length);
    }

    /**
     * {@link #features(float[][], int[][])} in an array of {@code rows >= N} rows: the examples fill the first N,
     * the rest are zero (a valid input of any layer: zero features, category index 0). For evaluation-mode passes,
     * where rows do not interact, so that varying batch sizes share a few array shapes.
     */
    INDArray features(float[][] features, int[][] categories, int rows) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must hold at least one example");
        }
        int n = features.length;
        if (rows < n) {
            throw new IllegalArgumentException("rows (" + rows + ") must be >= the " + n + " examples");
        }
        int d = model.inputSize();
        List<CategoricalField> fields = model.categoricalFields();
        int k = fields.size();
        if ((k > 0 && categories == null) || (categories != null && categories.length != n)) {
            throw new IllegalArgumentException("expected " + n + " rows of " + k + " category indices, got "
                    + (categories == null ? "none" : categories.length));
        }
        INDArray x = array("x", rows, d + k);
        NumericBuffer xb = views.buffer(x);
        if (rows > n) {
            if (zeroRow == null || zeroRow.length != d + k) {
                zeroRow = new float[d + k];
            }
            for (int i = n; i < rows; i++) {
                xb.write(i * (d + k), zeroRow);
            }
        }
        for (int i = 0; i < n; i++) {
            float[] row = features[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("features[" + i + "] must have " + d + " values, got "
                        + (row == null ? "null" : row.length));
            }
            xb.write(i * (d + k), row);
            if (categories != null && (categories[i] == null || categories[i].length != k)) {
                throw new IllegalArgumentException("categories[" + i + "] must have " + k + " indices, got "
                        + (categories[i] == null ? "null" : categories[i].length));
            }
            for (int f = 0; f < k; f++) {
                int c = categories[i][f];
                if (c < 0 || c > fields.get(f).cardinality()) {
                    throw new IllegalArgumentException("categories[" + i + "][" + f + "] (" + fields.get(f).name()
                            + ") must be in [0, " + fields.get(f).cardinality() + "], got " + c);
                }
                xb.set(i * (d + k) + d + f, c);
            }
        }
        return x;
    }

    /** Targets in the layout the loss expects: {@code [N]} class indices or {@code [N, outputSize]} values. */
    INDArray targets(Targets targets, LossKind loss, int n) {
        if (targets == null) {
            throw new IllegalArgumentException("targets must not be null");
        }
        if (targets.size() != n) {
            throw new IllegalArgumentException("expected " + n + " targets, got " + targets.size());
        }
        int k = model.outputSize();
        if (loss.classIndexTargets()) {
            if (!(targets instanceof Targets.Classes classes)) {
                throw new IllegalArgumentException(loss + " needs Targets.Classes, got " + targets.getClass().getSimpleName());
            }
            int[] idx = classes.indices();
            INDArray t = array("c", n, 1);
            NumericBuffer tb = NumericBuffer.of(t);
            for (int i = 0; i < n; i++) {
                if (loss != LossKind.CONTRASTIVE && (idx[i] < 0 || idx[i] >= k)) {
                    throw new IllegalArgumentException("targets[" + i + "] must be a class in [0, " + k + "), got " + idx[i]);
                }
                tb.set(i, idx[i]);
            }
            return t;
        }
        if (!(targets instanceof Targets.Values values)) {
            throw new IllegalArgumentException(loss + " needs Targets.Values, got " + targets.getClass().getSimpleName());
        }
        INDArray t = array("v", n, k);
        NumericBuffer tb = NumericBuffer.of(t);
        for (int i = 0; i < n; i++) {
            float[] row = values.row(i);
            if (row.length != k) {
                throw new IllegalArgumentException("targets[" + i + "] must have " + k + " values, got " + row.length);
            }
            for (int j = 0; j < k; j++) {
                tb.set(i * k + j, row[j]);
            }
        }
        return t;
    }

    /** A reusable {@code [rows, cols]} work array. */
    INDArray work(String role, long rows, long cols) {
        return array("w" + role, rows, cols);
    }
}
