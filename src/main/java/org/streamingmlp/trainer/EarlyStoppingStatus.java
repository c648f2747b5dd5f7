package org.streamingmlp.trainer;

import java.util.Locale;

import org.streamingmlp.learner.EarlyStopping;
import org.streamingmlp.learner.ValidationMonitor;

/**
 * The early-stopping state machine as reports show it.
 *
 * @param phase    {@code training}, or {@code frozen} once early stopping fired (until drift)
 * @param stopped  true while frozen
 * @param round    early-stopping round: 1, plus one per drift
 * @param best     best monitored validation value of the current round
 * @param bestStep step of that best value, -1 before any
 * @param counter  evaluations since the last improvement
 * @param patience evaluations without improvement that stop training
 */
public record EarlyStoppingStatus(String phase, boolean stopped, int round, double best, long bestStep, int counter,
                                  int patience) {

    static EarlyStoppingStatus of(ValidationMonitor monitor) {
        EarlyStopping stopping = monitor.earlyStopping();
        return new EarlyStoppingStatus(monitor.phase().name().toLowerCase(Locale.ROOT), monitor.frozen(),
                monitor.round(), stopping.best(), stopping.bestStep(), stopping.counter(),
                stopping.config().patience());
    }
}
