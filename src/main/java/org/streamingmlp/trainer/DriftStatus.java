package org.streamingmlp.trainer;

import org.streamingmlp.learner.ValidationMonitor;

/**
 * Drift detection as reports show it.
 *
 * @param driftEvents    drifts detected since the model was created (checkpointed)
 * @param driftStatistic current Page-Hinkley statistic (while frozen)
 * @param driftIgnoredValues losses the detector ignored because they would have made its statistic non-finite
 */
public record DriftStatus(long driftEvents, double driftStatistic, long driftIgnoredValues) {

    static DriftStatus of(ValidationMonitor monitor) {
        return new DriftStatus(monitor.driftEvents(), monitor.driftDetector().statistic(),
                monitor.driftDetector().ignored());
    }
}
