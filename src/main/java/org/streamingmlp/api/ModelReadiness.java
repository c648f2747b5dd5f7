package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.config.Role;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.kafka.Channels;
import org.streamingmlp.kafka.ModelTopicReader;
import org.streamingmlp.kafka.PartitionAssignments;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * Ready when this process can do its role's work (SmallRye adds its own connection checks per channel):
 * <ul>
 *   <li>a process that trains owns training partitions; a second trainer of the same model owns none, so it stays
 *   unready and says it stands by;</li>
 *   <li>a process that answers requests holds a model snapshot and its request consumer owns partitions; a
 *   predictor has also caught up with the model topic (it serves the newest version there).</li>
 * </ul>
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    PartitionAssignments assignments;

    @Inject
    ServiceConfig config;

    @Inject
    ModelTopicReader modelTopic;

    @Override
    public HealthCheckResponse call() {
        Role role = config.role();
        long version = snapshots.current().map(ModelSnapshot::version).orElse(-1L);
        int training = assignments.of(Channels.TRAINING).size();
        int requests = assignments.of(Channels.PREDICTION_REQUESTS).size();
        boolean trainerReady = !role.trains() || training > 0;
        boolean answererReady = !role.answersRequests() || (version >= 0 && requests > 0);
        boolean modelReady = !role.readsModelTopic() || modelTopic.caughtUp();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("model-and-partitions")
                .status(version >= 0 && trainerReady && answererReady && modelReady)
                .withData("role", role.configName())
                .withData("modelVersion", version)
                .withData("trainingPartitions", training)
                .withData("requestPartitions", requests);
        if (role.trains() && assignments.leftOut(Channels.TRAINING)) {
            response.withData("standby", "another trainer of this model owns the training partitions; "
                    + "this one does not train");
        }
        return response.build();
    }
}
