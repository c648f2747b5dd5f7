package org.streamingmlp.serving;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import org.streamingmlp.learner.ModelSnapshot;

/**
 * Holds the newest published {@link ModelSnapshot}: the one place where a model reaches the serving side, from the
 * trainer of this process or from the model topic. One thread publishes; any thread reads, without locks, so
 * predictions never wait for training. Versions only go up.
 */
public final class SnapshotRegistry {

    private record Published(ModelSnapshot snapshot, long publishedAt) {
    }

    private final AtomicReference<Published> current = new AtomicReference<>();

    /** Publishes a snapshot made now. */
    public void publish(ModelSnapshot snapshot) {
        publish(snapshot, System.currentTimeMillis());
    }

    /** Publishes a snapshot made at {@code publishedAt} (epoch milliseconds), e.g. by a trainer elsewhere. */
    public void publish(ModelSnapshot snapshot, long publishedAt) {
        current.getAndUpdate(old -> {
            if (old != null && snapshot.version() <= old.snapshot().version()) {
                throw new IllegalStateException("model version must increase: " + old.snapshot().version()
                        + " is published, got " + snapshot.version());
            }
            return new Published(snapshot, publishedAt);
        });
    }

    /**
     * Publishes the first snapshot of a new lineage (another trainer took over): its versions may start lower than
     * the one served now. Only a predictor, which follows the model topic's order, does this.
     */
    public void replace(ModelSnapshot snapshot, long publishedAt) {
        current.set(new Published(snapshot, publishedAt));
    }

    public Optional<ModelSnapshot> current() {
        return Optional.ofNullable(current.get()).map(Published::snapshot);
    }

    /** When the current snapshot was made (epoch milliseconds); empty before the first one. */
    public OptionalLong publishedAt() {
        Published published = current.get();
        return published == null ? OptionalLong.empty() : OptionalLong.of(published.publishedAt());
    }
}
