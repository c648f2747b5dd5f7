package org.streamingmlp.trainer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * What the training stream has done to the model, for a {@link TrainingReport}.
 *
 * @param examplesSeen               training examples consumed by the trainer
 * @param examplesIgnoredWhileFrozen of those, examples consumed while training was frozen (scored, not learned)
 * @param trainLoss                  mean training loss over the last 100 steps (each computed before its update)
 * @param trainAccuracy              prequential accuracy over the last 100 batches (classification)
 * @param trainMeanAbsoluteError     prequential mean absolute error over the last 100 batches (value targets)
 * @param learningRate               learning rate of the last step
 * @param gradNorm                   global gradient norm of the last step, before clipping
 * @param skippedUpdates             updates skipped because the loss or a gradient was not finite
 * @param consecutiveSkippedUpdates  skipped updates since the last applied one (liveness watches it; not in JSON)
 * @param examplesPerSecond          training throughput since the previous report
 * @param prequential                prequential accuracy and kappa per example, since the start and fading
 * @param scalingRowsIgnored         training rows the feature standardisation left out as non-finite
 * @param validationExamplesIgnored  validation examples left out of evaluations for a non-finite loss
 */
public record TrainingProgress(long examplesSeen, long examplesIgnoredWhileFrozen, double trainLoss,
                               double trainAccuracy, double trainMeanAbsoluteError, double learningRate,
                               double gradNorm, long skippedUpdates, @JsonIgnore int consecutiveSkippedUpdates,
                               double examplesPerSecond, @JsonUnwrapped PrequentialFigures prequential,
                               long scalingRowsIgnored, long validationExamplesIgnored) {
}
