package org.streamingmlp.optim;

/**
 * Linear warm-up then cosine annealing with warm restarts (SGDR, Loshchilov and Hutter 2017, with T_mult = 1):
 * <pre>
 *   s &lt; W (W &gt; 0):  lr = base * s / W
 *   otherwise:       t = (s - W) mod T;  lr = etaMin + (base - etaMin) * (1 + cos(pi t / T)) / 2
 * </pre>
 * After {@code T} steps the rate jumps back to {@code base} and anneals again, every {@code T} steps, forever;
 * warm-up is not repeated. Within the first period it equals {@link WarmupCosineSchedule}.
 */
public record CosineWarmRestartsSchedule(double base, int warmupSteps, long totalSteps, double etaMin)
        implements LearningRateSchedule {

    public CosineWarmRestartsSchedule {
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warmupSteps must be >= 0 and totalSteps >= 1");
        }
    }

    @Override
    public double learningRate(long step) {
        if (LearningRateSchedule.warmingUp(step, warmupSteps)) {
            return base * step / warmupSteps;
        }
        long t = Math.floorMod(step - warmupSteps, totalSteps);
        return WarmupCosineSchedule.cosine(base, etaMin, t, totalSteps);
    }
}
