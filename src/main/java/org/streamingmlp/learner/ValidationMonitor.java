package org.streamingmlp.learner;

import java.util.Arrays;


/**
 * Decides, from the validation evaluations, whether the model trains or stays frozen. A small state machine:
 * <pre>
 *   TRAINING --(early stopping: no improvement for `patience` evaluations)--> FROZEN   (restore the best model)
 *   FROZEN   --(Page-Hinkley: validation loss rose significantly)--------------> TRAINING (new round, warm restart)
 * </pre>
 * While frozen, the drift detector sees the median of the last three validation losses, so a single bad window
 * adds no evidence. Each drift starts a new early-stopping round from scratch.
 */
public final class ValidationMonitor {

    /** What an evaluation changed. */
    public enum Outcome { NONE, IMPROVED, STOPPED, DRIFT }

    public enum Phase { TRAINING, FROZEN }

    /** Which validation figure early stopping watches. */
    public enum Monitored { LOSS, ACCURACY }

    private final EarlyStoppingConfig stoppingConfig;
    private final Monitored monitored;
    private final boolean earlyStoppingEnabled;
    private final PageHinkley drift;
    private final double[] recentLosses = new double[3];
    private int recentCount;

    private EarlyStopping stopping;
    private EarlyStopping finished;
    private Phase phase = Phase.TRAINING;
    private int round = 1;
    private long driftEvents;

    public ValidationMonitor(EarlyStoppingConfig stoppingConfig, Monitored monitored, boolean earlyStoppingEnabled,
                             PageHinkley drift) {
        if (monitored == Monitored.ACCURACY && stoppingConfig.mode() != EarlyStoppingConfig.Mode.MAX
                || monitored == Monitored.LOSS && stoppingConfig.mode() != EarlyStoppingConfig.Mode.MIN) {
            throw new IllegalArgumentException("mlp.early-stopping.mode must be " + (monitored == Monitored.LOSS
                    ? "min" : "max") + " when mlp.early-stopping.monitor is " + monitored.name().toLowerCase()
                    + ", got " + stoppingConfig.mode().name().toLowerCase());
        }
        this.stoppingConfig = stoppingConfig;
        this.monitored = monitored;
        this.earlyStoppingEnabled = earlyStoppingEnabled;
        this.drift = drift;
        this.stopping = new EarlyStopping(stoppingConfig);
    }

    /** Records one evaluation of the current model at optimizer step {@code step}. */
    public Outcome onEvaluation(double loss, double accuracy, long step) {
        if (!earlyStoppingEnabled) {
            return Outcome.NONE;
        }
        if (phase == Phase.TRAINING) {
            double value = monitored == Monitored.LOSS ? loss : accuracy;
            if (stopping.update(value, step)) {
                return Outcome.IMPROVED;
            }
            if (stopping.stopped()) {
                phase = Phase.FROZEN;
                drift.reset();
                recentCount = 0;
                return Outcome.STOPPED;
            }
            return Outcome.NONE;
        }
        if (drift.update(medianOfRecent(loss))) {
            phase = Phase.TRAINING;
            round++;
            driftEvents++;
            finished = stopping;
            stopping = new EarlyStopping(stoppingConfig);
            return Outcome.DRIFT;
        }
        return Outcome.NONE;
    }

    private double medianOfRecent(double loss) {
        recentLosses[recentCount % recentLosses.length] = loss;
        recentCount++;
        if (recentCount < recentLosses.length) {
            return Double.NaN;   // the detector ignores NaN: no evidence until three windows were seen
        }
        double[] sorted = recentLosses.clone();
        Arrays.sort(sorted);
        return sorted[1];
    }

    public Phase phase() {
        return phase;
    }

    public boolean frozen() {
        return phase == Phase.FROZEN;
    }

    /** Early-stopping rounds started: 1, plus one per drift. */
    public int round() {
        return round;
    }

    public long driftEvents() {
        return driftEvents;
    }

    public EarlyStopping earlyStopping() {
        return stopping;
    }

    /** The early-stopping round that the last drift ended, or null before any drift. */
    public EarlyStopping finishedRound() {
        return finished;
    }

    public PageHinkley driftDetector() {
        return drift;
    }

    public Monitored monitored() {
        return monitored;
    }

    /**
     * Everything the monitor holds, for checkpoints.
     *
     * @param finished the round the last drift ended, or null
     */
    public record State(Phase phase, int round, long driftEvents, double[] recentLosses, int recentCount,
                        EarlyStopping.State stopping, EarlyStopping.State finished, PageHinkley.State drift) {
    }

    public State state() {
        return new State(phase, round, driftEvents, recentLosses.clone(), recentCount, stopping.state(),
                finished == null ? null : finished.state(), drift.state());
    }

    /** Puts back a checkpointed {@link #state()}. */
    public void restore(State state) {
        phase = state.phase();
        round = state.round();
        driftEvents = state.driftEvents();
        System.arraycopy(state.recentLosses(), 0, recentLosses, 0, recentLosses.length);
        recentCount = state.recentCount();
        stopping = new EarlyStopping(stoppingConfig);
        stopping.restore(state.stopping());
        if (state.finished() != null) {
            finished = new EarlyStopping(stoppingConfig);
            finished.restore(state.finished());
        }
        drift.restore(state.drift());
    }
}
