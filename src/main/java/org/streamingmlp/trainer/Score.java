package org.streamingmlp.trainer;

import java.util.List;

/**
 * How well outputs match labels: accuracy for classifiers (share whose highest output is their class), mean
 * absolute error for value targets; {@code NaN} where neither applies (contrastive embeddings).
 */
public final class Score {

    private Score() {
    }

    static double of(float[][] outputs, List<LabeledExample> examples, boolean classifies) {
        if (examples.isEmpty()) {
            return Double.NaN;
        }
        if (classifies) {
            int correct = 0;
            for (int i = 0; i < outputs.length; i++) {
                if (argmax(outputs[i]) == ((Label.ClassIndex) examples.get(i).label()).index()) {
                    correct++;
                }
            }
            return (double) correct / outputs.length;
        }
        if (!(examples.get(0).label() instanceof Label.Values)) {
            return Double.NaN;
        }
        double error = 0;
        long count = 0;
        for (int i = 0; i < outputs.length; i++) {
            float[] target = ((Label.Values) examples.get(i).label()).values();
            for (int j = 0; j < target.length; j++) {
                error += Math.abs(outputs[i][j] - target[j]);
                count++;
            }
        }
        return error / count;
    }

    /** Index of the largest value; the first one on ties. */
    public static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }
}
