package org.streamingmlp.dashboard;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.streamingmlp.kafka.MetricsReport;
import org.streamingmlp.serving.Answer;
import org.streamingmlp.trainer.TrainingEvent;

/**
 * One server-sent event of {@code GET /dashboard/events}: a training report (the metrics topic's record) with the
 * latest answers, a phase event (early stopping, drift), or, in a process without a trainer, what it serves.
 *
 * @param kind        {@code report}, {@code event} or {@code serving}
 * @param report      the report, for {@code report}
 * @param predictions the last answers given, for {@code report} and {@code serving}
 * @param event       the event, for {@code event}
 * @param serving     the model served, for {@code serving}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DashboardUpdate(String kind, MetricsReport report, List<Answer> predictions, TrainingEvent event,
                              ServingStatus serving) {

    static DashboardUpdate report(MetricsReport report, List<Answer> predictions) {
        return new DashboardUpdate("report", report, predictions, null, null);
    }

    static DashboardUpdate event(TrainingEvent event) {
        return new DashboardUpdate("event", null, null, event, null);
    }

    static DashboardUpdate serving(ServingStatus serving, List<Answer> predictions) {
        return new DashboardUpdate("serving", null, predictions, null, serving);
    }
}
