package org.streamingmlp.dashboard;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.streamingmlp.kafka.MetricsReport;
import org.streamingmlp.serving.Answer;
import org.streamingmlp.trainer.TrainingEvent;

/**
 * One server-sent event of {@code GET /dashboard/events}: a training report (the metrics topic's record) with the
 * latest answers, or a phase event (early stopping, drift).
 *
 * @param kind        {@code report} or {@code event}
 * @param report      the report, for {@code report}
 * @param predictions the last answers given, for {@code report}
 * @param event       the event, for {@code event}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DashboardUpdate(String kind, MetricsReport report, List<Answer> predictions, TrainingEvent event) {

    static DashboardUpdate report(MetricsReport report, List<Answer> predictions) {
        return new DashboardUpdate("report", report, predictions, null);
    }

    static DashboardUpdate event(TrainingEvent event) {
        return new DashboardUpdate("event", null, null, event);
    }
}
