package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.service.LearningService;
import org.streamingmlp.stream.Channels;
import org.streamingmlp.stream.PartitionAssignments;

/**
 * Ready once a model snapshot can answer predictions and the training and prediction-request consumers own
 * partitions (SmallRye adds its own connection checks per channel).
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    LearningService learning;

    @Inject
    PartitionAssignments assignments;

    @Override
    public HealthCheckResponse call() {
        boolean snapshot = learning.snapshots() != null && learning.snapshots().current().isPresent();
        int training = assignments.of(Channels.TRAINING).size();
        int requests = assignments.of(Channels.PREDICTION_REQUESTS).size();
        return HealthCheckResponse.named("model-and-partitions")
                .status(snapshot && training > 0 && requests > 0)
                .withData("modelVersion", snapshot ? learning.snapshots().current().get().version() : -1)
                .withData("trainingPartitions", training)
                .withData("requestPartitions", requests)
                .build();
    }
}
