package org.streamingmlp.learner;

/**
 * Early-stopping rule.
 *
 * @param patience evaluations without improvement before stopping (mlp.early-stopping.patience), >= 1, default 5
 * @param minDelta an improvement must beat the best by more than this (mlp.early-stopping.min-delta), >= 0, default 0
 * @param mode     MIN for losses, MAX for scores (mlp.early-stopping.mode), default MIN
 */
public record EarlyStoppingConfig(int patience, double minDelta, Mode mode) {

    /** Direction of improvement. */
    public enum Mode { MIN, MAX }

    public EarlyStoppingConfig {
        if (patience < 1) {
            throw new IllegalArgumentException("mlp.early-stopping.patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0.0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("mlp.early-stopping.min-delta must be finite and >= 0, got " + minDelta);
        }
        if (mode == null) {
            throw new IllegalArgumentException("mlp.early-stopping.mode must not be null");
        }
    }

    /** Patience 5, min delta 0, mode MIN. */
    public static EarlyStoppingConfig defaults() {
        return new EarlyStoppingConfig(5, 0.0, Mode.MIN);
    }
}
