package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void firesWhenCounterReachesPatience() {
        EarlyStopping es = new EarlyStopping(new EarlyStoppingConfig(2, 0.0, EarlyStoppingConfig.Mode.MIN));
        assertTrue(es.update(1.0, 100));
        assertFalse(es.update(1.0, 200), "a tie is not an improvement");
        assertEquals(1, es.counter());
        assertFalse(es.stopped());
        assertFalse(es.update(2.0, 300));
        assertTrue(es.stopped());
        assertEquals(0, es.bestEpoch());
        assertEquals(100, es.bestStep());
        assertFalse(es.update(0.1, 400), "ignored once stopped");
        assertEquals(1.0, es.best());
        assertEquals(3, es.epochs());
    }

    @Test
    void counterResetsOnImprovement() {
        EarlyStopping es = new EarlyStopping(EarlyStoppingConfig.defaults());
        es.update(1.0, 1);
        es.update(1.1, 2);
        es.update(1.2, 3);
        assertEquals(2, es.counter());
        assertTrue(es.update(0.9, 4));
        assertEquals(0, es.counter());
        assertEquals(3, es.bestEpoch());
    }

    @Test
    void maxModeAndMinDelta() {
        EarlyStopping es = new EarlyStopping(new EarlyStoppingConfig(3, 0.05, EarlyStoppingConfig.Mode.MAX));
        assertTrue(es.update(0.5, 1));
        assertFalse(es.update(0.54, 2), "within min_delta");
        assertTrue(es.update(0.56, 3));
        assertEquals(0.56, es.best());
    }

    @Test
    void nanIsNeverAnImprovement() {
        EarlyStopping es = new EarlyStopping(EarlyStoppingConfig.defaults());
        assertFalse(es.update(Double.NaN, 1));
        assertEquals(1, es.counter());
    }

    @Test
    void invalidConfigNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStoppingConfig(0, 0.0, EarlyStoppingConfig.Mode.MIN));
        assertTrue(e.getMessage().contains("mlp.early-stopping.patience"));
    }
}
