package org.streamingmlp.optim;

/**
 * Learning-rate schedule: linear warm-up from 0, then either the optimizer's learning rate held ({@link Kind#CONSTANT},
 * for streams) or cosine annealing from it down to {@code minLearningRate} over {@code totalSteps}
 * ({@link Kind#COSINE}, the PyTorch recipe; the 4-argument constructor).
 *
 * @param warmupSteps     W, steps of linear warm-up (mlp.schedule.warmup-steps), >= 0, default 100
 * @param totalSteps      T, length of the cosine after warm-up (mlp.schedule.total-steps), >= 1, default 10000
 * @param minLearningRate eta_min (mlp.schedule.min-learning-rate), finite and >= 0, default 0
 * @param warmRestarts    (mlp.schedule.warm-restarts) false: held at eta_min after T; true: the cosine restarts
 *                        from the peak every T steps (SGDR with T_mult = 1), which suits an unbounded stream;
 *                        default true
 * @param kind            (mlp.schedule.kind) CONSTANT ignores totalSteps, minLearningRate and warmRestarts
 */
public record ScheduleConfig(int warmupSteps, long totalSteps, double minLearningRate, boolean warmRestarts,
                             Kind kind) {

    /** The shape after warm-up. */
    public enum Kind {
        /** The peak rate held: a stream never ends, and a drifting one needs the model to keep learning. */
        CONSTANT,
        /** Cosine annealing to the floor over totalSteps (with or without warm restarts). */
        COSINE
    }

    /** A cosine schedule (the PyTorch recipe's {@code CosineAnnealingLR}, with warm-up and optional restarts). */
    public ScheduleConfig(int warmupSteps, long totalSteps, double minLearningRate, boolean warmRestarts) {
        this(warmupSteps, totalSteps, minLearningRate, warmRestarts, Kind.COSINE);
    }

    public ScheduleConfig {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("mlp.schedule.warmup-steps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("mlp.schedule.total-steps must be >= 1, got " + totalSteps);
        }
        if (!(minLearningRate >= 0.0) || Double.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("mlp.schedule.min-learning-rate must be finite and >= 0, got "
                    + minLearningRate);
        }
        if (kind == null) {
            throw new IllegalArgumentException("mlp.schedule.kind must be constant or cosine");
        }
    }

    /** Warm-up 100 steps, cosine period 10000 steps, eta_min 0, warm restarts on. */
    public static ScheduleConfig defaults() {
        return new ScheduleConfig(100, 10_000, 0.0, true);
    }

    /** The schedule for a given peak learning rate. */
    public LearningRateSchedule create(double baseLearningRate) {
        if (kind == Kind.CONSTANT) {
            return new WarmupConstantSchedule(baseLearningRate, warmupSteps);
        }
        if (warmRestarts) {
            return new CosineWarmRestartsSchedule(baseLearningRate, warmupSteps, totalSteps, minLearningRate);
        }
        return new WarmupCosineSchedule(baseLearningRate, warmupSteps, totalSteps, minLearningRate);
    }
}
