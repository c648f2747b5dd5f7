package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;

class SlidingMeanTest {

    @Test
    void averagesOnlyTheLastValues() {
        SlidingMean mean = new SlidingMean(3);
        assertTrue(Double.isNaN(mean.mean()));
        mean.add(1);
        mean.add(2);
        assertEquals(1.5, mean.mean(), 1e-12);
        mean.add(3);
        mean.add(10);
        assertEquals(5.0, mean.mean(), 1e-12);
    }

    @Test
    void validationWindowKeepsTheNewestExamples() {
        ValidationWindow window = new ValidationWindow(2);
        for (int i = 0; i < 5; i++) {
            window.add(new LabeledExample("v-" + i, new float[] {i}, new Label.ClassIndex(0)));
        }
        assertEquals(5, window.received());
        assertEquals("v-3", window.copy().get(0).id());
        assertEquals("v-4", window.copy().get(1).id());
    }
}
