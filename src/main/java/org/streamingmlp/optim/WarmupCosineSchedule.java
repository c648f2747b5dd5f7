package org.streamingmlp.optim;

/**
 * Linear warm-up then cosine annealing, held at {@code etaMin} after {@code T}. For 0-based step {@code s}:
 * <pre>
 *   s &lt; W (W &gt; 0):  lr = base * s / W                      (starts at exactly 0)
 *   otherwise:       t = min(s - W, T);  lr = etaMin + (base - etaMin) * (1 + cos(pi t / T)) / 2
 * </pre>
 * With W = 0 this is PyTorch {@code CosineAnnealingLR(T_max = T, eta_min)} stepped once per optimizer step.
 */
public record WarmupCosineSchedule(double base, int warmupSteps, long totalSteps, double etaMin)
        implements LearningRateSchedule {

    public WarmupCosineSchedule {
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warmupSteps must be >= 0 and totalSteps >= 1");
        }
    }

    @Override
    public double learningRate(long step) {
        if (LearningRateSchedule.warmingUp(step, warmupSteps)) {
            return base * step / warmupSteps;
        }
        long t = Math.min(step - warmupSteps, totalSteps);
        return cosine(base, etaMin, t, totalSteps);
    }

    static double cosine(double base, double etaMin, long t, long period) {
        return etaMin + (base - etaMin) * (1.0 + Math.cos(Math.PI * t / period)) / 2.0;
    }
}
