package org.streamingmlp.trainer;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the newest published {@link ServingModel}. The trainer thread publishes; any thread reads,
 * without locks, so predictions never wait for training. Versions only go up.
 */
public final class SnapshotRegistry {

    private final AtomicReference<ServingModel> current = new AtomicReference<>();

    public void publish(ServingModel snapshot) {
        ServingModel previous = current.getAndUpdate(old -> {
            if (old != null && snapshot.version() <= old.version()) {
                throw new IllegalStateException("model version must increase: " + old.version()
                        + " is published, got " + snapshot.version());
            }
            return snapshot;
        });
        assert previous == null || previous.version() < snapshot.version();
    }

    public Optional<ServingModel> current() {
        return Optional.ofNullable(current.get());
    }
}
