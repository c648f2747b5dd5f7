package org.streamingmlp.trainer;

import java.util.List;

/** Share of examples whose highest output is their class; {@code NaN} for labels that are not classes. */
public final class Accuracy {

    private Accuracy() {
    }

    static double of(float[][] outputs, List<LabeledExample> examples) {
        if (examples.isEmpty() || !(examples.get(0).label() instanceof Label.ClassIndex)) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < outputs.length; i++) {
            if (argmax(outputs[i]) == ((Label.ClassIndex) examples.get(i).label()).index()) {
                correct++;
            }
        }
        return (double) correct / outputs.length;
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
