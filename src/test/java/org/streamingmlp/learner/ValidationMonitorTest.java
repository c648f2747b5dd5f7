package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.PageHinkley;
import org.streamingmlp.learner.ValidationMonitor.Outcome;

class ValidationMonitorTest {

    private static ValidationMonitor monitor() {
        return new ValidationMonitor(new EarlyStoppingConfig(3, 0.0, EarlyStoppingConfig.Mode.MIN),
                ValidationMonitor.Monitored.LOSS, true, new PageHinkley(0.01, 0.3, 3));
    }

    private static ValidationMonitor frozenAt(double level) {
        ValidationMonitor m = monitor();
        m.onEvaluation(level, Double.NaN, 1);
        for (int i = 0; i < 3; i++) {
            m.onEvaluation(level + 0.001, Double.NaN, 2 + i);
        }
        assertTrue(m.frozen());
        return m;
    }

    @Test
    void freezesAfterPatienceEvaluationsWithoutImprovement() {
        ValidationMonitor m = monitor();
        assertEquals(Outcome.IMPROVED, m.onEvaluation(1.0, Double.NaN, 10));
        assertEquals(Outcome.IMPROVED, m.onEvaluation(0.5, Double.NaN, 20));
        assertEquals(Outcome.NONE, m.onEvaluation(0.5, Double.NaN, 30));   // a tie is no improvement
        assertEquals(Outcome.NONE, m.onEvaluation(0.6, Double.NaN, 40));
        assertEquals(Outcome.STOPPED, m.onEvaluation(0.55, Double.NaN, 50));
        assertTrue(m.frozen());
        assertEquals(20, m.earlyStopping().bestStep());
    }

    @Test
    void aSingleBadWindowWhileFrozenIsNotDrift() {
        ValidationMonitor m = frozenAt(0.1);
        double[] losses = {0.1, 0.11, 5.0, 0.1, 0.09, 0.1, 0.1, 0.12, 0.1};
        for (double loss : losses) {
            assertEquals(Outcome.NONE, m.onEvaluation(loss, Double.NaN, 100));
        }
        assertTrue(m.frozen());
        assertEquals(0, m.driftEvents());
    }

    @Test
    void aSustainedRiseWhileFrozenResumesTrainingInANewRound() {
        ValidationMonitor m = frozenAt(0.1);
        for (int i = 0; i < 4; i++) {
            assertEquals(Outcome.NONE, m.onEvaluation(0.1, Double.NaN, 100));
        }
        Outcome outcome = Outcome.NONE;
        int evaluations = 0;
        while (outcome == Outcome.NONE && evaluations < 10) {
            outcome = m.onEvaluation(1.2, Double.NaN, 100);
            evaluations++;
        }
        assertEquals(Outcome.DRIFT, outcome);
        assertTrue(evaluations <= 3, "drift took " + evaluations + " evaluations");
        assertFalse(m.frozen());
        assertEquals(2, m.round());
        assertEquals(1, m.driftEvents());
        assertEquals(0, m.earlyStopping().counter());
        assertEquals(Outcome.IMPROVED, m.onEvaluation(1.0, Double.NaN, 200), "a new round starts from scratch");
    }

    @Test
    void disabledEarlyStoppingNeverFreezes() {
        ValidationMonitor m = new ValidationMonitor(EarlyStoppingConfig.defaults(), ValidationMonitor.Monitored.LOSS,
                false, new PageHinkley(0.01, 0.3, 3));
        for (int i = 0; i < 20; i++) {
            assertEquals(Outcome.NONE, m.onEvaluation(1.0, Double.NaN, i));
        }
        assertFalse(m.frozen());
    }

    @Test
    void monitoringAccuracyNeedsMaxMode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ValidationMonitor(
                EarlyStoppingConfig.defaults(), ValidationMonitor.Monitored.ACCURACY, true,
                new PageHinkley(0.01, 0.3, 3)));
        assertTrue(e.getMessage().contains("mlp.early-stopping.mode"), e.getMessage());
    }

    @Test
    void pageHinkleyIgnoresNoiseAroundALevelAndFiresOnAShift() {
        PageHinkley ph = new PageHinkley(0.01, 0.3, 3);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 500; i++) {
            assertFalse(ph.update(0.2 + 0.005 * random.nextGaussian()), "false alarm at " + i);
        }
        int steps = 0;
        while (!ph.update(0.5 + 0.005 * random.nextGaussian())) {
            steps++;
        }
        assertTrue(steps < 5, "detection took " + steps + " samples");
        assertTrue(ph.driftDetected());
        ph.reset();
        assertFalse(ph.driftDetected());
        assertEquals(0, ph.samples());
    }

    @Test
    void aRestoredMonitorContinuesExactlyAsTheOriginal() throws Exception {
        ValidationMonitor original = frozenAt(0.1);
        original.onEvaluation(0.1, Double.NaN, 100);
        original.onEvaluation(0.9, Double.NaN, 100);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String saved = json.writeValueAsString(original.state());   // as a checkpoint holds it
        ValidationMonitor restored = monitor();
        restored.restore(json.readValue(saved, ValidationMonitor.State.class));
        assertTrue(restored.frozen());
        assertEquals(original.earlyStopping().best(), restored.earlyStopping().best());
        double[] next = {0.9, 1.0, 1.1, 1.2, 1.3};
        for (double loss : next) {
            assertEquals(original.onEvaluation(loss, Double.NaN, 200), restored.onEvaluation(loss, Double.NaN, 200));
            assertEquals(original.driftDetector().statistic(), restored.driftDetector().statistic(), 0.0);
        }
        assertEquals(1, restored.driftEvents());
    }

    @Test
    void aFreshMonitorStateSurvivesJsonWithInfiniteBest() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        ValidationMonitor restored = monitor();
        restored.restore(json.readValue(json.writeValueAsString(monitor().state()), ValidationMonitor.State.class));
        assertEquals(Double.POSITIVE_INFINITY, restored.earlyStopping().best());
        assertEquals(Outcome.IMPROVED, restored.onEvaluation(1.0, Double.NaN, 1));
    }
}
