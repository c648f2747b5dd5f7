package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.streamingmlp.trainer.DriftStatus;
import org.streamingmlp.trainer.EarlyStoppingStatus;
import org.streamingmlp.trainer.PrequentialFigures;
import org.streamingmlp.trainer.TrainingProgress;
import org.streamingmlp.trainer.TrainingReport;
import org.streamingmlp.trainer.ValidationFigures;

/** The progress line says what a person needs in one line, and an idle service does not repeat it every report. */
class ProgressLogTest {

    private static TrainingReport report(long timestamp, long examples, long version, boolean frozen) {
        return new TrainingReport(timestamp, 380, version,
                new TrainingProgress(examples, 0, 0.5123, 0.70, Double.NaN, 0.001, 0.7, 0, 0, 1010.4,
                        new PrequentialFigures(0.79, 0.74, 0.8125, 0.77), 0, 0),
                new ValidationFigures(0.49, 0.826, 1000),
                new EarlyStoppingStatus(frozen ? "frozen" : "training", frozen, 1, 0.45, 300, 2, 5),
                new DriftStatus(0, 0, 0));
    }

    @Test
    void oneReadableLine() {
        assertEquals("progress: 24,576 examples (1,010/s) | train loss 0.512 | accuracy: prequential 0.813, "
                + "validation 0.826 (loss 0.490) | early stopping: training, 2/5 without improvement | model v383 | "
                + "dead letters 4", ProgressLog.line(report(0, 24_576, 383, false), Map.of("undecodable", 3L,
                "wrong-feature-count", 1L)));
        assertTrue(ProgressLog.line(report(0, 1, 383, true), Map.of()).contains("early stopping: FROZEN"));
    }

    @Test
    void anIdleServiceRepeatsTheLineOnceAMinute() {
        ProgressLog log = new ProgressLog();
        assertTrue(log.due(report(1_000, 10, 2, false)));
        assertFalse(log.due(report(3_000, 10, 2, false)), "nothing moved");
        assertTrue(log.due(report(5_000, 11, 2, false)), "an example arrived");
        assertTrue(log.due(report(7_000, 11, 3, false)), "a new version");
        assertFalse(log.due(report(66_000, 11, 3, false)));
        assertTrue(log.due(report(67_000, 11, 3, false)), "a minute passed");
    }
}
