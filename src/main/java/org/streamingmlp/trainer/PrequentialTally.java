package org.streamingmlp.trainer;

import java.util.List;

import org.streamingmlp.learner.ClassAgreement;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;

/**
 * Prequential (test-then-train) accuracy and Cohen's kappa of a classifier, per example: every training example is
 * predicted by the current model before it is learned, and counted both since the trainer started and over a fading
 * window ({@link ClassAgreement}). The figures of a model that does not classify are {@code NaN} ({@code null} in
 * JSON): a regression has no accuracy. Owned by the trainer thread.
 */
final class PrequentialTally {

    private final ClassAgreement sinceStart;
    private final ClassAgreement fading;

    private PrequentialTally(ClassAgreement sinceStart, ClassAgreement fading) {
        this.sinceStart = sinceStart;
        this.fading = fading;
    }

    /** For a classifier of {@code classes} classes, fading by {@code fadingFactor} per example. */
    static PrequentialTally ofClasses(int classes, double fadingFactor) {
        return new PrequentialTally(new ClassAgreement(classes, 1.0), new ClassAgreement(classes, fadingFactor));
    }

    /** For a model that does not classify: every figure stays {@code NaN}. */
    static PrequentialTally none() {
        return new PrequentialTally(null, null);
    }

    /** The outputs the current model gave for the batch before learning it, against the batch's labels. */
    void add(float[][] outputs, List<LabeledExample> examples) {
        if (sinceStart == null) {
            return;
        }
        for (int i = 0; i < outputs.length; i++) {
            int predicted = ModelSnapshot.argmax(outputs[i]);
            int actual = ((Label.ClassIndex) examples.get(i).label()).index();
            sinceStart.add(predicted, actual);
            fading.add(predicted, actual);
        }
    }

    /** The figures now. */
    PrequentialFigures figures() {
        if (sinceStart == null) {
            return PrequentialFigures.NONE;
        }
        return new PrequentialFigures(sinceStart.accuracy(), sinceStart.kappa(), fading.accuracy(), fading.kappa());
    }
}
