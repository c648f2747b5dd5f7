package org.streamingmlp.optim;

/** A learning rate as a pure function of the 0-based optimizer step that will use it. */
@FunctionalInterface
public interface LearningRateSchedule {
    double learningRate(long step);
}
