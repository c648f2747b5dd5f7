package org.streamingmlp.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.streamingmlp.learner.ModelSnapshot;

/**
 * Holds the newest published {@link ModelSnapshot}: the one place where the trainer hands models to the serving
 * side. The trainer thread publishes; any thread reads, without locks, so predictions never wait for training.
 * Versions only go up.
 */
public final class SnapshotRegistry {

    private final AtomicReference<ModelSnapshot> current = new AtomicReference<>();

    public void publish(ModelSnapshot snapshot) {
        current.getAndUpdate(old -> {
            if (old != null && snapshot.version() <= old.version()) {
                throw new IllegalStateException("model version must increase: " + old.version()
                        + " is published, got " + snapshot.version());
            }
            return snapshot;
        });
    }

    public Optional<ModelSnapshot> current() {
        return Optional.ofNullable(current.get());
    }
}
