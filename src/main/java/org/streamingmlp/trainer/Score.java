package org.streamingmlp.trainer;

import java.util.List;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;

/**
 * How well outputs match labels: accuracy for classifiers (share whose highest output is their class), mean
 * absolute error for value targets; {@code NaN} where neither applies (contrastive embeddings).
 */
final class Score {

    private Score() {
    }

    static double of(float[][] outputs, List<LabeledExample> examples, boolean classifies) {
        if (examples.isEmpty()) {
            return Double.NaN;
        }
        if (classifies) {
            int correct = 0;
            for (int i = 0; i < outputs.length; i++) {
                if (ModelSnapshot.argmax(outputs[i]) == ((Label.ClassIndex) examples.get(i).label()).index()) {
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
}
