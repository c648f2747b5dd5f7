package org.streamingmlp.trainer;

import java.util.List;

import org.jboss.logging.Logger;

/** Hears what the trainer reports: periodic {@link TrainingReport}s and phase {@link TrainingEvent}s. */
public interface TrainingListener {

    void report(TrainingReport report);

    void event(TrainingEvent event);

    /**
     * Tells every one of {@code listeners}, in order; one that throws is skipped for that report, so the metrics
     * topic, the log and the dashboard cannot silence each other (nor stop the trainer thread).
     */
    static TrainingListener all(List<? extends TrainingListener> listeners) {
        List<TrainingListener> copy = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void report(TrainingReport report) {
                for (TrainingListener l : copy) {
                    try {
                        l.report(report);
                    } catch (RuntimeException e) {
                        Logger.getLogger(TrainingListener.class).warnf("%s failed: %s", l, e);
                    }
                }
            }

            @Override
            public void event(TrainingEvent event) {
                for (TrainingListener l : copy) {
                    try {
                        l.event(event);
                    } catch (RuntimeException e) {
                        Logger.getLogger(TrainingListener.class).warnf("%s failed: %s", l, e);
                    }
                }
            }
        };
    }

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
