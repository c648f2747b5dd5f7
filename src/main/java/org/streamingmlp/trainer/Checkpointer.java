package org.streamingmlp.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.record.ConsumedExample;

/**
 * When the trainer writes checkpoints: after {@code everySteps} steps or {@code interval} (if the model changed),
 * on request ({@link #request()}, from any thread; served between two batches) and at a graceful stop. A failed write
 * is logged, counted ({@link #failures()}) and training goes on; {@link #unsavedFor()} tells how long the model's
 * progress has gone without a checkpoint, for a health check. Without a store (checkpointing off) it writes nothing
 * and refuses requests.
 */
public final class Checkpointer {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);

    /**
     * How often checkpoints are written.
     *
     * @param everySteps after this many optimizer steps...
     * @param interval   ...or after this long, if there was at least one step
     */
    public record Schedule(long everySteps, Duration interval) {
    }

    private final Optional<CheckpointStore> store;
    private final Schedule schedule;
    private final SortedMap<String, String> configuration;
    private final StreamPositions positions;
    private final ConcurrentLinkedQueue<CompletableFuture<Path>> requests = new ConcurrentLinkedQueue<>();
    private volatile long stepAtLastCheckpoint;
    private volatile long lastCheckpointNanos = System.nanoTime();
    /** The newest step the trainer reported ({@link #afterBatch}). */
    private volatile long currentStep;
    private volatile long failures;
    private volatile boolean closed;

    /**
     * @param configuration the settings the model is trained under, stamped into every checkpoint
     * @param positions     where the input streams stand, saved with every checkpoint
     * @param restoredStep  the step of the checkpoint the model was restored from (0 for a new model)
     */
    public Checkpointer(Optional<CheckpointStore> store, Schedule schedule, SortedMap<String, String> configuration,
                        StreamPositions positions, long restoredStep) {
        this.store = store;
        this.schedule = schedule;
        this.configuration = new TreeMap<>(configuration);
        this.positions = positions;
        this.stepAtLastCheckpoint = restoredStep;
        this.currentStep = restoredStep;
    }

    /** Checkpoint writes that failed since startup. */
    public long failures() {
        return failures;
    }

    /**
     * How long the model has had steps that no checkpoint holds: since the last successful checkpoint (or startup)
     * if the model moved on since; empty when everything is saved or checkpointing is off. Any thread.
     */
    public Optional<Duration> unsavedFor() {
        if (store.isEmpty() || currentStep == stepAtLastCheckpoint) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(System.nanoTime() - lastCheckpointNanos));
    }

    /** A checkpoint after the current batch; completes with its directory. Fails at once when checkpointing is off. */
    public CompletableFuture<Path> request() {
        CompletableFuture<Path> request = new CompletableFuture<>();
        if (store.isEmpty()) {
            request.completeExceptionally(new IllegalStateException("checkpointing is off: set mlp.checkpoint.dir"));
        } else if (closed) {
            request.completeExceptionally(new IllegalStateException("the trainer is stopping"));
        } else {
            requests.add(request);
        }
        return request;
    }

    /** The checkpoint of a model and its learning state, stamped with the positions and the configuration. */
    Checkpoint checkpointOf(long modelVersion, long examplesSeen, Checkpoint.Learning learning) {
        return new Checkpoint(modelVersion, examplesSeen, learning, positions.checkpoint(), configuration);
    }

    /** The batch went through the trainer: checkpoints from now on resume after it. */
    void passed(List<ConsumedExample> batch) {
        positions.passed(batch);
    }

    /** Writes a checkpoint when one is due or requested. */
    void afterBatch(long step, Supplier<Checkpoint> state) {
        if (store.isEmpty()) {
            return;
        }
        currentStep = step;
        boolean due = step - stepAtLastCheckpoint >= schedule.everySteps()
                || step != stepAtLastCheckpoint && System.nanoTime() - lastCheckpointNanos >= schedule.interval().toNanos();
        if (due || !requests.isEmpty()) {
            Path written = write(step, state.get());
            for (CompletableFuture<Path> request; (request = requests.poll()) != null; ) {
                if (written != null) {
                    request.complete(written);
                } else {
                    request.completeExceptionally(new IOException("the checkpoint could not be written; see the log"));
                }
            }
        }
    }

    /** Graceful stop: keeps the work since the last checkpoint, and fails the requests that came too late. */
    void close(long step, Supplier<Checkpoint> state) {
        closed = true;
        if (store.isPresent() && step != stepAtLastCheckpoint) {
            write(step, state.get());
        }
        failPending(new IllegalStateException("the trainer stopped"));
    }

    void failPending(Throwable cause) {
        closed = true;
        for (CompletableFuture<Path> request; (request = requests.poll()) != null; ) {
            request.completeExceptionally(cause);
        }
    }

    private Path write(long step, Checkpoint checkpoint) {
        try {
            Path written = store.orElseThrow().write(checkpoint);
            stepAtLastCheckpoint = step;
            lastCheckpointNanos = System.nanoTime();
            LOG.debugf("Checkpoint %s written at step %d", written.getFileName(), step);
            return written;
        } catch (IOException | RuntimeException e) {
            failures++;
            LOG.errorf(e, "Could not write a checkpoint at step %d (%d failed since startup); training goes on", step,
                    failures);
            return null;
        }
    }
}
