package org.streamingmlp.stream;

import java.util.LinkedHashMap;
import java.util.Map;

import org.streamingmlp.predict.Prediction;

/**
 * The JSON form of a prediction, shared by the predictions topic and the REST API:
 * <pre>
 * classification: {"id": "r-5", "prediction": 3, "probabilities": [...], "modelVersion": 42}
 * otherwise:      {"id": "r-5", "prediction": [...], "modelVersion": 42}   (a number when there is one output)
 * </pre>
 */
public final class PredictionJson {

    private PredictionJson() {
    }

    public static Map<String, Object> of(String id, Prediction prediction) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        if (prediction.predictedClass() != null) {
            json.put("prediction", prediction.predictedClass());
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
