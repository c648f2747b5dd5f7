package org.streamingmlp.trainer;

/**
 * One decoded, validated training or validation example: finite features of the configured width and a
 * label the configured loss accepts. Only the stream edge creates these, after its checks.
 *
 * @param id caller's identifier, echoed in logs; may be null
 */
public record LabeledExample(String id, float[] features, Label label) {
}
