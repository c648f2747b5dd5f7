package org.streamingmlp.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.kafka.StreamFigures;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.PredictionService;
import org.streamingmlp.serving.SnapshotAge;
import org.streamingmlp.serving.SnapshotRegistry;
import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingReport;

/**
 * What the dashboard shows, as the trainer reports it (a {@link TrainingListener}, like the metrics publisher):
 * keeps the recent history for a page that opens late ({@value #HISTORY} reports, an hour at dev mode's 2 s, and
 * every phase event up to {@value #EVENTS}) and broadcasts each new update to the open pages. A process without a
 * trainer (role {@code predictor}) has no reports: every {@code mlp.metrics.interval} it sends what it serves instead
 * (model version, snapshot age, the last answers), and a page that opens late gets the latest of those.
 */
@ApplicationScoped
public class DashboardFeed implements TrainingListener {

    static final int HISTORY = 1800;
    static final int EVENTS = 200;
    private static final int PREDICTIONS_SHOWN = 8;

    @Inject
    StreamFigures figures;

    @Inject
    PredictionService predictions;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ServiceConfig config;

    private final BroadcastProcessor<DashboardUpdate> live = BroadcastProcessor.create();
    private final ArrayDeque<DashboardUpdate> reports = new ArrayDeque<>();
    private final ArrayDeque<DashboardUpdate> events = new ArrayDeque<>();
    private DashboardUpdate lastServing;
    private ScheduledExecutorService servingTicker;

    /** In a process that does not train, a serving update every mlp.metrics.interval (a daemon thread of its own). */
    void startServingUpdates(@Observes StartupEvent startup) {
        if (config.role().trains()) {
            return;
        }
        servingTicker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dashboard-serving");
            thread.setDaemon(true);
            return thread;
        });
        long period = config.metrics().interval().toMillis();
        servingTicker.scheduleAtFixedRate(this::serving, 0, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopServingUpdates() {
        if (servingTicker != null) {
            servingTicker.shutdownNow();
        }
    }

    @Override
    public void report(TrainingReport report) {
        DashboardUpdate update = DashboardUpdate.report(figures.with(report), recentAnswers());
        remember(reports, update, HISTORY);
        live.onNext(update);
    }

    /** What this process serves now, to the open pages. */
    void serving() {
        ServingStatus status = new ServingStatus(config.role().configName(),
                snapshots.current().map(ModelSnapshot::version).orElse(null), SnapshotAge.seconds(snapshots),
                System.currentTimeMillis());
        DashboardUpdate update = DashboardUpdate.serving(status, recentAnswers());
        synchronized (this) {
            lastServing = update;
        }
        live.onNext(update);
    }

    private List<org.streamingmlp.serving.Answer> recentAnswers() {
        List<org.streamingmlp.serving.Answer> recent = predictions.recentAnswers().snapshot();
        return recent.subList(Math.max(0, recent.size() - PREDICTIONS_SHOWN), recent.size());
    }

    @Override
    public void event(TrainingEvent event) {
        DashboardUpdate update = DashboardUpdate.event(event);
        remember(events, update, EVENTS);
        live.onNext(update);
    }

    /**
     * The history so far (events first, then reports in order), then every new update; a page that falls behind
     * loses updates rather than holding the trainer's thread.
     */
    public Multi<DashboardUpdate> updates() {
        List<DashboardUpdate> history = new ArrayList<>();
        synchronized (this) {
            history.addAll(events);
            history.addAll(reports);
            if (lastServing != null) {
                history.add(lastServing);
            }
        }
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(history),
                live.onOverflow().drop());
    }

    private synchronized void remember(ArrayDeque<DashboardUpdate> queue, DashboardUpdate update, int capacity) {
        if (queue.size() == capacity) {
            queue.removeFirst();
        }
        queue.addLast(update);
    }
}
