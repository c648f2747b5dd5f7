package org.streamingmlp.trainer;

/** Hears what the trainer reports: periodic {@link TrainingReport}s and phase {@link TrainingEvent}s. */
public interface TrainingListener {

    void report(TrainingReport report);

    void event(TrainingEvent event);

    /** Hears nothing (tests, tools). */
    TrainingListener NONE = new TrainingListener() {
        @Override
        public void report(TrainingReport report) {
        }

        @Override
        public void event(TrainingEvent event) {
        }
    };
}
