package org.streamingmlp.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A point-in-time account of training: published on the metrics topic ({@code "type": "training"}), part of
 * {@code GET /model}, and read by the gauges. The JSON is this record as Jackson writes it; values without a value
 * yet (no validation data, accuracy of a regression) are {@code NaN} here and {@code null} in JSON. The README
 * documents each field.
 *
 * @param timestamp     wall-clock time of the report, epoch milliseconds
 * @param step          optimizer steps taken (skipped updates not counted)
 * @param modelVersion  version of the newest published snapshot
 * @param training      what the training stream did to the model
 * @param validation    the last evaluation on the validation window
 * @param earlyStopping the early-stopping state machine
 * @param drift         drift detection while training is frozen
 */
@JsonPropertyOrder({"type", "timestamp", "step", "modelVersion"})
public record TrainingReport(long timestamp, long step, long modelVersion,
                             @JsonUnwrapped TrainingProgress training,
                             @JsonUnwrapped ValidationFigures validation,
                             EarlyStoppingStatus earlyStopping,
                             @JsonUnwrapped DriftStatus drift) {

    /** Tells reports from events on the metrics topic. */
    @JsonProperty("type")
    public String type() {
        return "training";
    }

    /** Validation loss minus training loss: how much worse the model does on data it did not learn. */
    @JsonProperty("generalizationGap")
    public double generalizationGap() {
        return validation.validationLoss() - training.trainLoss();
    }
}
