package org.streamingmlp.stream;

/** A decoded, validated request for one prediction; {@code id} is echoed in the answer and may be null. */
public record PredictionRequest(String id, float[] features) {
}
