package org.streamingmlp.predict;

/**
 * The model's answer to one feature vector.
 *
 * @param predictedClass index of the most probable class, or null when the model does not classify
 * @param outputs        class probabilities (classification), values (regression) or the embedding
 * @param modelVersion   version of the snapshot that computed it
 */
public record Prediction(Integer predictedClass, float[] outputs, long modelVersion) {
}
