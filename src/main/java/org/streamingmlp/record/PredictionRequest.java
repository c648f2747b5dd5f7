package org.streamingmlp.record;

/**
 * A decoded, validated request for one prediction; {@code id} is echoed in the answer and may be null;
 * {@code categories} holds one index per categorical field of the feature schema (empty without).
 */
public record PredictionRequest(String id, float[] features, int[] categories) {

    public PredictionRequest(String id, float[] features) {
        this(id, features, new int[0]);
    }
}
