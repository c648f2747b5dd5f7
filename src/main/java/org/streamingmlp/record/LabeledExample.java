package org.streamingmlp.record;

/**
 * One decoded, validated training or validation example: finite features of the configured width and a
 * label the configured loss accepts. Only the stream edge creates these, after its checks.
 *
 * @param id         caller's identifier, echoed in logs; may be null
 * @param features   the numeric features ({@code mlp.model.input-size} of them)
 * @param categories one index per categorical field of the feature schema (0 = unseen category); empty without
 * @param weight     the example's weight in the training step's weighted mean, finite and >= 0; 1 by default
 */
public record LabeledExample(String id, float[] features, Label label, int[] categories, float weight) {

    /** An example without categorical fields, of weight 1. */
    public LabeledExample(String id, float[] features, Label label) {
        this(id, features, label, new int[0], 1f);
    }
}
