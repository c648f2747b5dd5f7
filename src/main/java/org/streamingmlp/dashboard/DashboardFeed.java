package org.streamingmlp.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import org.streamingmlp.kafka.StreamFigures;
import org.streamingmlp.serving.PredictionService;
import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingReport;

/**
 * What the dashboard shows, as the trainer reports it (a {@link TrainingListener}, like the metrics publisher):
 * keeps the recent history for a page that opens late ({@value #HISTORY} reports, an hour at dev mode's 2 s, and
 * every phase event up to {@value #EVENTS}) and broadcasts each new update to the open pages.
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

    private final BroadcastProcessor<DashboardUpdate> live = BroadcastProcessor.create();
    private final ArrayDeque<DashboardUpdate> reports = new ArrayDeque<>();
    private final ArrayDeque<DashboardUpdate> events = new ArrayDeque<>();

    @Override
    public void report(TrainingReport report) {
        List<org.streamingmlp.serving.Answer> recent = predictions.recentAnswers().snapshot();
        DashboardUpdate update = DashboardUpdate.report(figures.with(report),
                recent.subList(Math.max(0, recent.size() - PREDICTIONS_SHOWN), recent.size()));
        remember(reports, update, HISTORY);
        live.onNext(update);
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
