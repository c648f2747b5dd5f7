package org.streamingmlp.trainer;

/**
 * A change of the training phase, published on the metrics topic beside the periodic reports.
 *
 * @param type             {@code early-stopping} (training froze, best model restored) or {@code drift}
 *                         (validation loss rose while frozen; training resumed with a warm restart)
 * @param timestamp        wall-clock time, epoch milliseconds
 * @param step             optimizer step when it happened
 * @param modelVersion     version of the snapshot published with the event (the restored best model on a stop)
 * @param round            early-stopping round that ended (stop) or began (drift)
 * @param bestValidation   best monitored validation value of the round that ended
 * @param bestStep         step at which that best value was reached
 * @param bestModelVersion version of the published snapshot holding that best model (-1 if none)
 * @param validationLoss   validation loss at the evaluation that triggered the event
 * @param driftStatistic   Page-Hinkley statistic at a drift, NaN on a stop
 */
public record TrainingEvent(String type, long timestamp, long step, long modelVersion, int round,
                            double bestValidation, long bestStep, long bestModelVersion, double validationLoss,
                            double driftStatistic) {
}
