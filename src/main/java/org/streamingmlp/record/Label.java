package org.streamingmlp.record;

/** What an example should be learned as: a class index, or a vector of target values. */
public sealed interface Label {

    /** A class index in {@code [0, classes)}: cross-entropy, focal and contrastive losses. */
    record ClassIndex(int index) implements Label {
    }

    /** Target values, one per model output: regression and BCE-with-logits. */
    record Values(float[] values) implements Label {
    }
}
