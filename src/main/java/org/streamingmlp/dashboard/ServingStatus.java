package org.streamingmlp.dashboard;

/**
 * What a process that does not train (role {@code predictor}) shows on its dashboard instead of training reports:
 * the model version it serves and how old that snapshot is.
 *
 * @param role               the process's {@code mlp.role}
 * @param modelVersion       the version answering now; null before the first snapshot arrived
 * @param snapshotAgeSeconds seconds since that snapshot was made (by the trainer); null before the first one
 * @param timestamp          when this status was taken (epoch milliseconds)
 */
public record ServingStatus(String role, Long modelVersion, Double snapshotAgeSeconds, long timestamp) {
}
