package org.streamingmlp.trainer;

import org.streamingmlp.learner.ValidationMonitor;

/**
 * Drift detection as reports show it.
 *
 * @param driftEvents    drifts detected since the model was created (checkpointed)
 * @param driftStatistic current Page-Hinkley statistic (while frozen)
 */
public record DriftStatus(long driftEvents, double driftStatistic) {

    static DriftStatus of(ValidationMonitor monitor) {
        return new DriftStatus(monitor.driftEvents(), monitor.driftDetector().statistic());
    }
}
