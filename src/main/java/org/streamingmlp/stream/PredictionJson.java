package org.streamingmlp.stream;

import java.util.LinkedHashMap;
import java.util.Map;

import org.streamingmlp.predict.Prediction;

/**
 * The JSON form of a prediction, shared by the predictions topic and the REST API:
 * <pre>
 * classification: {"id": "r-5", "prediction": 3, "className": "dog", "probabilities": [...], "modelVersion": 42}
 *                 ("className" only when mlp.model.class-names is set)
 * otherwise:      {"id": "r-5", "prediction": [...], "modelVersion": 42}   (a number when there is one output)
 * </pre>
 */
public final class PredictionJson {

    private PredictionJson() {
    }

    public static Map<String, Object> of(String id, Prediction prediction) {
        return of(id, prediction, null);
    }

    /** With {@code classNames} (may be null), a classification answer also names its class. */
    public static Map<String, Object> of(String id, Prediction prediction, ClassNames classNames) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        if (prediction.predictedClass() != null) {
            json.put("prediction", prediction.predictedClass());
            if (classNames != null) {
                json.put("className", classNames.name(prediction.predictedClass()));
            }
            json.put("probabilities", prediction.outputs());
        } else if (prediction.outputs().length == 1) {
            json.put("prediction", prediction.outputs()[0]);
        } else {
            json.put("prediction", prediction.outputs());
        }
        json.put("modelVersion", prediction.modelVersion());
        return json;
    }
}
