package org.streamingmlp.trainer;

import java.time.Duration;

/**
 * How the trainer thread paces its work. Ranges are checked by the service configuration.
 *
 * @param batchSize          examples per optimizer step
 * @param maxBatchWait       a partial batch is trained after this wait
 * @param snapshotEverySteps publish a snapshot for predictions after this many steps...
 * @param snapshotInterval   ...or when this long has passed since the last one (and the model changed)
 * @param validateEverySteps evaluate on the validation window after this many steps
 * @param minValidationExamples the validation window must hold this many examples to be evaluated
 * @param standardizeFeatures scale features by their running mean and standard deviation
 * @param reportInterval     publish a {@link TrainingReport} this often
 * @param checkpointEverySteps write a checkpoint after this many steps (when checkpointing is on)
 * @param checkpointInterval   or after this long, if there was at least one step
 */
public record TrainerSettings(int batchSize, Duration maxBatchWait, int snapshotEverySteps, Duration snapshotInterval,
                              int validateEverySteps,
                              int minValidationExamples, boolean standardizeFeatures, Duration reportInterval,
                              long checkpointEverySteps, Duration checkpointInterval) {
}
