package org.streamingmlp.stream;

import java.util.LinkedHashMap;
import java.util.Map;

import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingReport;

/**
 * The JSON forms of the metrics topic: periodic reports ({@code "type": "training"}) and phase events
 * ({@code "early-stopping"}, {@code "drift"}). The README documents each field. NaN (no value yet) becomes null.
 */
public final class MetricsJson {

    private MetricsJson() {
    }

    public static Map<String, Object> of(TrainingReport r, Map<String, Long> deadLetters,
                                         Map<String, Double> consumerLag) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "training");
        json.put("timestamp", r.timestampMillis());
        json.put("step", r.step());
        json.put("examplesSeen", r.examplesSeen());
        json.put("examplesIgnoredWhileFrozen", r.examplesIgnoredWhileFrozen());
        json.put("modelVersion", r.modelVersion());
        json.put("trainLoss", orNull(r.trainLoss()));
        json.put("trainAccuracy", orNull(r.trainAccuracy()));
        json.put("trainMeanAbsoluteError", orNull(r.trainMeanAbsoluteError()));
        json.put("validationLoss", orNull(r.validationLoss()));
        json.put("validationAccuracy", orNull(r.validationAccuracy()));
        json.put("validationExamples", r.validationExamples());
        json.put("generalizationGap", orNull(r.generalizationGap()));
        json.put("learningRate", orNull(r.learningRate()));
        json.put("gradNorm", orNull(r.gradNorm()));
        json.put("skippedUpdates", r.skippedUpdates());
        json.put("examplesPerSecond", orNull(r.examplesPerSecond()));
        Map<String, Object> stopping = new LinkedHashMap<>();
        stopping.put("phase", r.phase().name().toLowerCase());
        stopping.put("stopped", r.phase().name().equals("FROZEN"));
        stopping.put("round", r.round());
        stopping.put("best", orNull(r.bestValidation()));
        stopping.put("bestStep", r.bestStep());
        stopping.put("counter", r.patienceCounter());
        stopping.put("patience", r.patience());
        json.put("earlyStopping", stopping);
        json.put("driftEvents", r.driftEvents());
        json.put("driftStatistic", orNull(r.driftStatistic()));
        json.put("deadLetters", deadLetters);
        json.put("consumerLag", consumerLag);
        return json;
    }

    public static Map<String, Object> of(TrainingEvent e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", e.type());
        json.put("timestamp", e.timestampMillis());
        json.put("step", e.step());
        json.put("modelVersion", e.modelVersion());
        json.put("round", e.round());
        json.put("bestValidation", orNull(e.bestValidation()));
        json.put("bestStep", e.bestStep());
        json.put("bestModelVersion", e.bestModelVersion());
        json.put("validationLoss", orNull(e.validationLoss()));
        json.put("driftStatistic", orNull(e.driftStatistic()));
        return json;
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
