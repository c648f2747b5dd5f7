package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.streamingmlp.kafka.RecordFailures;

/**
 * {@code record-processing}: DOWN while a record that failed more than once at the same offset (replayed and failed
 * again) is the latest failure and its partition has not moved past it; the data name the topic, partition, offset
 * and error. Readiness, not liveness: a restart would replay the same record, so the pod is taken out of traffic
 * and an operator looks, instead of a crash loop.
 */
@Readiness
@ApplicationScoped
public class RecordProcessingHealth implements HealthCheck {

    @Inject
    RecordFailures failures;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("record-processing").up();
        failures.outstanding().ifPresent(f -> response.status(!f.repeated())
                .withData("channel", f.channel())
                .withData("topic", f.at().topic())
                .withData("partition", f.at().partition())
                .withData("offset", f.at().offset())
                .withData("failuresAtOffset", f.times())
                .withData("error", f.error()));
        return response.build();
    }
}
