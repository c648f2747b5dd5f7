package org.streamingmlp.optim;

/**
 * Linear warm-up, then the peak learning rate for good: the schedule for an unbounded, drifting stream, where a
 * rate annealed towards 0 would stop the model from following a new concept (and a warm restart from near 0 straight
 * to the peak upsets a model that has settled; see the README's evaluation). For 0-based step {@code s}:
 * <pre>
 *   s &lt; W (W &gt; 0):  lr = base * s / W      (starts at exactly 0)
 *   otherwise:       lr = base
 * </pre>
 * With W = 0 this is a constant rate, as PyTorch's optimizer without a scheduler.
 */
public record WarmupConstantSchedule(double base, int warmupSteps) implements LearningRateSchedule {

    public WarmupConstantSchedule {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0");
        }
    }

    @Override
    public double learningRate(long step) {
        if (LearningRateSchedule.warmingUp(step, warmupSteps)) {
            return base * step / warmupSteps;
        }
        return base;
    }
}
