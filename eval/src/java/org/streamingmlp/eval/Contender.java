package org.streamingmlp.eval;

import com.yahoo.labs.samoa.instances.Instance;

/**
 * A learner under prequential (test-then-train) evaluation: for each chunk of the stream it predicts every example
 * with the model as it is, then learns the chunk.
 */
interface Contender {

    /** The name in the tables and plots. */
    String name();

    /** Predicted class of every example of {@code chunk}, each made before the example is learned. */
    int[] predictThenLearn(Instance[] chunk);
}
