package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.service.LearningService;

/** Ready once a model snapshot can answer predictions (SmallRye adds its own Kafka readiness checks). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    LearningService learning;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model-snapshot")
                .status(learning.snapshots() != null && learning.snapshots().current().isPresent())
                .withData("modelVersion", learning.snapshots() == null ? -1
                        : learning.snapshots().current().map(s -> s.version()).orElse(-1L))
                .build();
    }
}
