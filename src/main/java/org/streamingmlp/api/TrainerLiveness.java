package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.streamingmlp.service.LearningService;

/** Live while the trainer thread runs: if it died, the model no longer learns and the pod should restart. */
@Liveness
@ApplicationScoped
public class TrainerLiveness implements HealthCheck {

    @Inject
    LearningService learning;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("trainer-thread").status(learning.trainerAlive()).build();
    }
}
