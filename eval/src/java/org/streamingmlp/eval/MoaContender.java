package org.streamingmlp.eval;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;

import moa.classifiers.Classifier;
import moa.core.Utils;
import moa.options.ClassOption;

/**
 * A MOA classifier, given by its MOA command-line string ({@code trees.HoeffdingAdaptiveTree}), evaluated as MOA's
 * {@code EvaluatePrequential} does: each instance is predicted, then learned, one at a time.
 */
final class MoaContender implements Contender {

    private final String name;
    private final Classifier classifier;

    MoaContender(String name, String cli, InstancesHeader header) {
        this.name = name;
        try {
            this.classifier = (Classifier) ClassOption.cliStringToObject(cli, Classifier.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a MOA classifier: " + cli, e);
        }
        classifier.setModelContext(header);
        classifier.prepareForUse();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] predictThenLearn(Instance[] chunk) {
        int[] predicted = new int[chunk.length];
        for (int i = 0; i < chunk.length; i++) {
            predicted[i] = Utils.maxIndex(classifier.getVotesForInstance(chunk[i]));
            classifier.trainOnInstance(chunk[i]);
        }
        return predicted;
    }
}
