package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.kafka.Channels;
import org.streamingmlp.kafka.PartitionAssignments;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * Ready once a model snapshot can answer predictions and the training and prediction-request consumers own
 * partitions (SmallRye adds its own connection checks per channel).
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    PartitionAssignments assignments;

    @Override
    public HealthCheckResponse call() {
        long version = snapshots.current().map(ModelSnapshot::version).orElse(-1L);
        int training = assignments.of(Channels.TRAINING).size();
        int requests = assignments.of(Channels.PREDICTION_REQUESTS).size();
        return HealthCheckResponse.named("model-and-partitions")
                .status(version >= 0 && training > 0 && requests > 0)
                .withData("modelVersion", version)
                .withData("trainingPartitions", training)
                .withData("requestPartitions", requests)
                .build();
    }
}
