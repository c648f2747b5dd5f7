package org.streamingmlp.trainer;

import java.util.List;

import org.streamingmlp.learner.Targets;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;

/** Turns a list of examples into the row-major arrays and targets the learner takes. */
final class Batches {

    private Batches() {
    }

    static float[][] features(List<LabeledExample> examples) {
        float[][] x = new float[examples.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = examples.get(i).features();
        }
        return x;
    }

    /** One row of category indices per example (rows are empty without categorical fields). */
    static int[][] categories(List<LabeledExample> examples) {
        int[][] c = new int[examples.size()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = examples.get(i).categories();
        }
        return c;
    }

    /** The examples' weights, or null when every one is 1 (the plain mean). */
    static float[] weights(List<LabeledExample> examples) {
        float[] w = new float[examples.size()];
        boolean plain = true;
        for (int i = 0; i < w.length; i++) {
            w[i] = examples.get(i).weight();
            plain &= w[i] == 1f;
        }
        return plain ? null : w;
    }

    /** True when the examples weigh nothing together (every weight 0): such a batch has nothing to learn. */
    static boolean weightless(float[] weights) {
        if (weights == null) {
            return false;
        }
        for (float w : weights) {
            if (w != 0f) {
                return false;
            }
        }
        return true;
    }

    /** All labels of one batch are of one kind: the decoder made them for the configured loss. */
    static Targets targets(List<LabeledExample> examples) {
        if (examples.get(0).label() instanceof Label.ClassIndex) {
            int[] classes = new int[examples.size()];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = ((Label.ClassIndex) examples.get(i).label()).index();
            }
            return new Targets.Classes(classes);
        }
        float[][] values = new float[examples.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Label.Values) examples.get(i).label()).values();
        }
        return new Targets.Values(values);
    }
}
