package org.streamingmlp.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.SnapshotAge;
import org.streamingmlp.serving.SnapshotRegistry;

/** Gauges of the serving side, in every role: which version answers and how old it is. */
@ApplicationScoped
class ServingMeters {

    void register(@Observes StartupEvent event, MeterRegistry registry, SnapshotRegistry snapshots) {
        Gauge.builder("mlp.model.snapshot.age.seconds", snapshots,
                        s -> {
                            Double age = SnapshotAge.seconds(s);
                            return age == null ? Double.NaN : age;
                        })
                .description("Seconds since the serving model snapshot was made").register(registry);
        Gauge.builder("mlp.model.serving.version", snapshots,
                        s -> s.current().map(ModelSnapshot::version).orElse(-1L))
                .description("Version of the snapshot that answers predictions").register(registry);
    }
}
