package org.streamingmlp.learner;

/**
 * Outcome of one call to {@link OnlineLearner#learnMany}.
 *
 * @param step               optimizer steps taken after this call (unchanged when skipped)
 * @param loss               loss of the forward pass before the update (may be non-finite when skipped)
 * @param gradNormBeforeClip global L2 norm of the gradient before clipping (NaN when the loss was non-finite)
 * @param learningRate       the scheduled learning rate for this step
 * @param skipped            true when the loss or gradient was non-finite and the update was not applied
 */
public record StepResult(long step, double loss, double gradNormBeforeClip, double learningRate, boolean skipped) {
}
