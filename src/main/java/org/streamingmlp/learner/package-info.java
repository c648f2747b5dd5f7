/**
 * The online learner: {@link org.streamingmlp.learner.OnlineLearner} owns the model and takes one optimizer step
 * per mini-batch on a single thread; {@link org.streamingmlp.learner.ModelSnapshot} is the immutable, versioned copy
 * that any thread predicts from; {@link org.streamingmlp.learner.EarlyStopping} is a small state machine;
 * {@link org.streamingmlp.learner.TrainingState} is what a checkpoint saves. Non-finite losses or gradients skip the
 * update and are counted, never repaired.
 */
package org.streamingmlp.learner;
