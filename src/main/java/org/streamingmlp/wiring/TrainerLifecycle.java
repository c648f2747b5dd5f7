package org.streamingmlp.wiring;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import org.jboss.logging.Logger;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.trainer.Trainer;
import org.streamingmlp.trainer.TrainingInbox;
import org.streamingmlp.trainer.TrainingReport;

/**
 * Runs the {@link Trainer} on its own thread from startup to shutdown, and is what the operator endpoints and
 * health checks ask about it. At shutdown the trainer finishes its batch and writes a last checkpoint within
 * {@code mlp.training.shutdown-grace}.
 */
@ApplicationScoped
public class TrainerLifecycle {

    private static final Logger LOG = Logger.getLogger(TrainerLifecycle.class);

    /** Resolved only in a role that trains: a predictor never makes a learner. */
    @Inject
    Instance<Trainer> trainers;

    @Inject
    TrainingInbox inbox;

    @Inject
    TrainingConfig training;

    @Inject
    ServiceConfig config;

    @Inject
    MeterRegistry registry;

    private Trainer trainer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!config.role().trains()) {
            LOG.infof("Role %s: no trainer; answers come from the model snapshots on %s", config.role().configName(),
                    config.topics().model());
            return;
        }
        trainer = trainers.get();
        TrainingMeters.register(registry, this);
        thread = new Thread(trainer, "mlp-trainer");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Trainer started: %s, loss %s, batch %d", training.model(), training.loss(),
                config.training().batchSize());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        trainer.stop();   // finishes its batch and writes a last checkpoint
        thread.join(config.training().shutdownGrace().toMillis());
        if (thread.isAlive()) {
            LOG.warnf("The trainer did not stop within mlp.training.shutdown-grace=%s", config.training().shutdownGrace());
        }
    }

    /** Whether this process trains ({@code mlp.role} all-in-one or trainer). */
    public boolean trains() {
        return config.role().trains();
    }

    /** Asks the trainer for a checkpoint now; completes with its directory once written. */
    public CompletableFuture<Path> checkpoint() {
        if (trainer == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("this process does not train (mlp.role="
                    + config.role().configName() + "): checkpoints are the trainer's"));
        }
        return trainer.requestCheckpoint();
    }

    /** The trainer's latest report; empty in a process that does not train. */
    public Optional<TrainingReport> status() {
        return Optional.ofNullable(trainer).map(Trainer::status);
    }

    /** True while the trainer thread runs and has not failed. */
    public boolean alive() {
        return thread != null && thread.isAlive() && trainer.failure() == null;
    }

    /** True while fewer than {@code mlp.training.max-consecutive-skipped} updates in a row were non-finite. */
    public boolean lossFinite() {
        return status().map(s -> s.training().consecutiveSkippedUpdates() < config.training().maxConsecutiveSkipped())
                .orElse(true);
    }

    int queuedExamples() {
        return inbox.size();
    }
}
