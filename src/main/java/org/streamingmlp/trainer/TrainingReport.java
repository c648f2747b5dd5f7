package org.streamingmlp.trainer;

/**
 * A point-in-time account of training, published on the metrics topic and read by the REST API and gauges.
 * Fields without a value yet (no validation data, accuracy of a regression) are {@code NaN}.
 *
 * @param step                       optimizer steps taken (skipped updates not counted)
 * @param examplesSeen               training examples consumed by the trainer
 * @param examplesIgnoredWhileFrozen of those, examples consumed while training was frozen (scored, not learned)
 * @param modelVersion               version of the newest published snapshot
 * @param trainLoss                  mean training loss over the last 100 steps (each computed before its update)
 * @param trainAccuracy              prequential accuracy over the last 100 batches (classification)
 * @param trainMeanAbsoluteError     prequential mean absolute error over the last 100 batches (value targets)
 * @param validationLoss             loss of the model on the validation window at the last evaluation
 * @param validationAccuracy         accuracy on the validation window at the last evaluation
 * @param validationExamples         examples in the validation window at the last evaluation
 * @param learningRate               learning rate of the last step
 * @param gradNorm                   global gradient norm of the last step, before clipping
 * @param skippedUpdates             updates skipped because the loss or a gradient was not finite
 * @param consecutiveSkippedUpdates  skipped updates since the last applied one (liveness watches it)
 * @param examplesPerSecond          training throughput since the previous report
 * @param phase                      TRAINING or FROZEN (early stopping fired; waiting for drift)
 * @param round                      early-stopping round: 1, plus one per drift
 * @param bestValidation             best monitored validation value of the current round
 * @param bestStep                   step of that best value, -1 before any
 * @param patienceCounter            evaluations since the last improvement
 * @param patience                   evaluations without improvement that stop training
 * @param driftEvents                drifts detected since startup
 * @param driftStatistic             current Page-Hinkley statistic (while frozen)
 * @param timestampMillis            wall-clock time of the report
 */
public record TrainingReport(long step, long examplesSeen, long examplesIgnoredWhileFrozen, long modelVersion,
                             double trainLoss, double trainAccuracy, double trainMeanAbsoluteError,
                             double validationLoss, double validationAccuracy, int validationExamples,
                             double learningRate, double gradNorm, long skippedUpdates,
                             int consecutiveSkippedUpdates, double examplesPerSecond, ValidationMonitor.Phase phase,
                             int round, double bestValidation, long bestStep, int patienceCounter, int patience,
                             long driftEvents, double driftStatistic, long timestampMillis) {

    /** Validation loss minus training loss: how much worse the model does on data it did not learn. */
    public double generalizationGap() {
        return validationLoss - trainLoss;
    }
}
