package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.streamingmlp.wiring.TrainerLifecycle;

/**
 * Live while the trainer thread runs and its updates are not persistently non-finite: otherwise the model no
 * longer learns and a restart (from the last checkpoint) is the remedy.
 */
@Liveness
@ApplicationScoped
public class TrainerLiveness implements HealthCheck {

    @Inject
    TrainerLifecycle trainer;

    @Override
    public HealthCheckResponse call() {
        if (!trainer.trains()) {
            return HealthCheckResponse.named("trainer").up().withData("trains", false).build();
        }
        boolean alive = trainer.alive();
        boolean finite = trainer.lossFinite();
        return HealthCheckResponse.named("trainer")
                .status(alive && finite)
                .withData("threadAlive", alive)
                .withData("consecutiveSkippedUpdates", trainer.status()
                        .map(s -> s.training().consecutiveSkippedUpdates()).orElse(0))
                .build();
    }
}
