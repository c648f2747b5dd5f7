package org.streamingmlp.optim;

/** A learning rate as a pure function of the 0-based optimizer step that will use it. */
@FunctionalInterface
public interface LearningRateSchedule {
    double learningRate(long step);

    /**
     * True while {@code step} is in a linear warm-up of {@code warmupSteps} steps (the rate is then
     * {@code base * step / warmupSteps}, from exactly 0); rejects a negative step. Shared by every schedule that
     * warms up.
     */
    static boolean warmingUp(long step, int warmupSteps) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return warmupSteps > 0 && step < warmupSteps;
    }
}
