package org.streamingmlp.learner;

/**
 * Page-Hinkley test for an upward change in the mean of a series (here: validation losses of a frozen model).
 * With {@code x_t} the t-th value and {@code mean_t} the mean of the first t values:
 * <pre>
 *   m_t = sum_{i<=t} (x_i - mean_i - delta)      M_t = min_{i<=t} m_i      drift when t >= minSamples and m_t - M_t > lambda
 * </pre>
 * {@code delta} is the size of change tolerated as noise, {@code lambda} how much accumulated evidence a drift
 * needs. Values are expected to be smoothed by the caller (a single outlier should not add much evidence).
 * A small state machine: {@link #update} returns true once, when drift is detected; {@link #reset} starts over.
 * A value that is not finite, or that would make the sums non-finite (an infinite or astronomically large loss), is
 * ignored and counted ({@link #ignored()}): one such value would otherwise turn the statistic into NaN for good, and
 * drift would never be declared again, not even after a restart from a checkpoint.
 */
public final class PageHinkley {

    private final double delta;
    private final double lambda;
    private final int minSamples;
    private long samples;
    private double mean;
    private double cumulative;
    private double minimum;
    private boolean drift;
    private long ignored;

    public PageHinkley(double delta, double lambda, int minSamples) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("mlp.drift.delta must be finite and >= 0, got " + delta);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("mlp.drift.threshold must be finite and > 0, got " + lambda);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("mlp.drift.min-evaluations must be >= 1, got " + minSamples);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.minSamples = minSamples;
    }

    /**
     * Adds one value; returns true if this value completes the evidence for a drift. NaN (no value yet) is skipped;
     * any other value that would make the state non-finite is ignored and counted.
     */
    public boolean update(double x) {
        if (drift || Double.isNaN(x)) {
            return false;
        }
        double nextMean = mean + (x - mean) / (samples + 1);
        double nextCumulative = cumulative + (x - nextMean - delta);
        if (!Double.isFinite(nextMean) || !Double.isFinite(nextCumulative)
                || !Double.isFinite(nextCumulative - Math.min(minimum, nextCumulative))) {
            ignored++;
            return false;
        }
        samples++;
        mean = nextMean;
        cumulative = nextCumulative;
        minimum = Math.min(minimum, cumulative);
        drift = samples >= minSamples && statistic() > lambda;
        return drift;
    }

    /** The test statistic {@code m_t - M_t}. */
    public double statistic() {
        return cumulative - minimum;
    }

    public boolean driftDetected() {
        return drift;
    }

    public long samples() {
        return samples;
    }

    /** Values ignored because they would have made the test's state non-finite (not checkpointed). */
    public long ignored() {
        return ignored;
    }

    /** Everything the test holds, for checkpoints. */
    public record State(long samples, double mean, double cumulative, double minimum, boolean drift) {
    }

    public State state() {
        return new State(samples, mean, cumulative, minimum, drift);
    }

    /** Puts back a checkpointed {@link #state()}. */
    public void restore(State state) {
        samples = state.samples();
        mean = state.mean();
        cumulative = state.cumulative();
        minimum = state.minimum();
        drift = state.drift();
    }

    public void reset() {
        samples = 0;
        mean = 0;
        cumulative = 0;
        minimum = 0;
        drift = false;
    }
}
