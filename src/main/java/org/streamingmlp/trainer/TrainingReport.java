package org.streamingmlp.trainer;

/**
 * A point-in-time account of training, published on the metrics topic and read by the REST API.
 * Fields without a value yet (no validation data, a regression task without accuracy) are {@code NaN}.
 *
 * @param step               optimizer steps taken (skipped updates not counted)
 * @param examplesSeen       training examples consumed by the trainer (in trained or skipped batches)
 * @param modelVersion       version of the newest published snapshot
 * @param trainLoss          mean training loss over the recent steps (each computed before its update)
 * @param trainAccuracy      prequential accuracy over the recent batches: predicted before being learned
 * @param validationLoss     loss of the current model on the validation window at the last evaluation
 * @param validationAccuracy accuracy on the validation window at the last evaluation
 * @param validationExamples examples in the validation window at the last evaluation
 * @param learningRate       learning rate of the last step
 * @param gradNorm           global gradient norm of the last step, before clipping
 * @param skippedUpdates     updates skipped because the loss or a gradient was not finite
 * @param examplesPerSecond  training throughput since the previous report
 * @param timestampMillis    wall-clock time of the report
 */
public record TrainingReport(long step, long examplesSeen, long modelVersion, double trainLoss,
                             double trainAccuracy, double validationLoss, double validationAccuracy,
                             int validationExamples, double learningRate, double gradNorm, long skippedUpdates,
                             double examplesPerSecond, long timestampMillis) {
}
