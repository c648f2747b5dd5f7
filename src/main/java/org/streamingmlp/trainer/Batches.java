package org.streamingmlp.trainer;

import java.util.List;

import org.streamingmlp.learner.Targets;

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
