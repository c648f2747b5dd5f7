package org.streamingmlp.api;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.trainer.Checkpointer;

/**
 * {@code checkpoints}: DOWN while the model has had steps that no checkpoint holds for longer than
 * {@code mlp.checkpoint.max-age} (checkpoint writes failing, e.g. on a full disk: a restart would lose that work);
 * always UP when checkpointing or the age limit is off. The data say how many writes failed since startup.
 */
@Readiness
@ApplicationScoped
public class CheckpointHealth implements HealthCheck {

    /** Resolved only in a role that trains: a predictor has no checkpoints (and never makes a learner). */
    @Inject
    Instance<Checkpointer> checkpointers;

    @Inject
    ServiceConfig config;

    @Override
    public HealthCheckResponse call() {
        if (!config.role().trains()) {
            return HealthCheckResponse.named("checkpoints").up().withData("trains", false).build();
        }
        Checkpointer checkpointer = checkpointers.get();
        Optional<Duration> unsaved = checkpointer.unsavedFor();
        Optional<Duration> maxAge = config.checkpoint().maxAge();
        boolean stale = maxAge.isPresent() && unsaved.isPresent() && unsaved.get().compareTo(maxAge.get()) > 0;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("checkpoints")
                .status(!stale)
                .withData("failedCheckpoints", checkpointer.failures())
                .withData("unsavedSeconds", unsaved.map(Duration::toSeconds).orElse(0L));
        maxAge.ifPresent(age -> response.withData("maxAgeSeconds", age.toSeconds()));
        return response.build();
    }
}
