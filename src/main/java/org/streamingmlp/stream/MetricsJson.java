package org.streamingmlp.stream;

import java.util.LinkedHashMap;
import java.util.Map;

import org.streamingmlp.trainer.TrainingReport;

/** The JSON form of a {@link TrainingReport} on the metrics topic; the README documents each field. */
public final class MetricsJson {

    private MetricsJson() {
    }

    public static Map<String, Object> of(TrainingReport r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "training");
        json.put("timestamp", r.timestampMillis());
        json.put("step", r.step());
        json.put("examplesSeen", r.examplesSeen());
        json.put("modelVersion", r.modelVersion());
        json.put("trainLoss", orNull(r.trainLoss()));
        json.put("trainAccuracy", orNull(r.trainAccuracy()));
        json.put("validationLoss", orNull(r.validationLoss()));
        json.put("validationAccuracy", orNull(r.validationAccuracy()));
        json.put("validationExamples", r.validationExamples());
        json.put("learningRate", orNull(r.learningRate()));
        json.put("gradNorm", orNull(r.gradNorm()));
        json.put("skippedUpdates", r.skippedUpdates());
        json.put("examplesPerSecond", orNull(r.examplesPerSecond()));
        return json;
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
