package org.streamingmlp.learner;

/**
 * Early stopping as a small state machine. Start: {@code best = +inf} (MIN) or {@code -inf} (MAX), counter 0.
 * Each evaluation {@code e} (0-based) with value {@code x}:
 * <pre>
 *   improved = MIN ? x &lt; best - minDelta : x &gt; best + minDelta      (strict: ties are not improvements)
 *   improved: best = x, bestEpoch = e, bestStep = step, counter = 0
 *   else:     counter += 1;  if counter &gt;= patience: stopped
 * </pre>
 * A NaN value is never an improvement. Once stopped, further updates are ignored (and return false): the caller
 * restores the weights of {@link #bestStep()}.
 */
public final class EarlyStopping {
    private final EarlyStoppingConfig config;
    private double best;
    private long bestEpoch = -1;
    private long bestStep = -1;
    private long epochs;
    private int counter;
    private boolean stopped;

    public EarlyStopping(EarlyStoppingConfig config) {
        this.config = config;
        this.best = config.mode() == EarlyStoppingConfig.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one evaluation; returns true when it improved on the best. */
    public boolean update(double value, long step) {
        if (stopped) {
            return false;
        }
        long epoch = epochs++;
        boolean improved = config.mode() == EarlyStoppingConfig.Mode.MIN
                ? value < best - config.minDelta()
                : value > best + config.minDelta();
        if (improved) {
            best = value;
            bestEpoch = epoch;
            bestStep = step;
            counter = 0;
        } else {
            counter++;
            if (counter >= config.patience()) {
                stopped = true;
            }
        }
        return improved;
    }

    public EarlyStoppingConfig config() { return config; }

    /** Best value so far (+-infinity before the first improvement). */
    public double best() { return best; }

    /** 0-based evaluation index of the best value, -1 before any. */
    public long bestEpoch() { return bestEpoch; }

    /** Training step recorded with the best value, -1 before any. */
    public long bestStep() { return bestStep; }

    /** Evaluations since the last improvement. */
    public int counter() { return counter; }

    /** Evaluations recorded (including the one that stopped). */
    public long epochs() { return epochs; }

    /** True once the counter reached the patience. */
    public boolean stopped() { return stopped; }

    /** Everything the state machine holds, for checkpoints. */
    public record State(double best, long bestEpoch, long bestStep, long epochs, int counter, boolean stopped) {
    }

    public State state() {
        return new State(best, bestEpoch, bestStep, epochs, counter, stopped);
    }

    /** Puts back a checkpointed {@link #state()}. */
    public void restore(State state) {
        best = state.best();
        bestEpoch = state.bestEpoch();
        bestStep = state.bestStep();
        epochs = state.epochs();
        counter = state.counter();
        stopped = state.stopped();
    }
}
