package org.streamingmlp.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to one prediction request, as the predictions topic and {@code POST /predict} carry it:
 * <pre>
 * classification: {"id": "r-5", "prediction": 3, "className": "dog", "probabilities": [...], "modelVersion": 42}
 *                 ("className" only when mlp.model.class-names is set)
 * otherwise:      {"id": "r-5", "prediction": [...], "modelVersion": 42}   (a number when there is one output)
 * </pre>
 *
 * @param id            the request's id, echoed (null when it had none)
 * @param prediction    the most probable class (classification), else the output vector or its only value
 * @param className     the predicted class's name, with {@code mlp.model.class-names}
 * @param probabilities the class probabilities (classification)
 * @param modelVersion  the version of the snapshot that answered
 */
@JsonPropertyOrder({"id", "prediction", "className", "probabilities", "modelVersion"})
public record Answer(
        @JsonInclude(JsonInclude.Include.ALWAYS) String id,
        @Schema(oneOf = {Integer.class, Float.class, float[].class},
                description = "class index (classification), or the output value(s)") Object prediction,
        @JsonInclude(JsonInclude.Include.NON_NULL) String className,
        @JsonInclude(JsonInclude.Include.NON_NULL) float[] probabilities,
        long modelVersion) {
}
