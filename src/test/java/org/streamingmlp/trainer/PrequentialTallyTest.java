package org.streamingmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;

/** The trainer's prequential figures: per example, the highest output against the label, since the start and fading. */
class PrequentialTallyTest {

    private static LabeledExample labelled(int label) {
        return new LabeledExample("e", new float[] {0f}, new Label.ClassIndex(label));
    }

    @Test
    void scoresEveryExampleOfEveryBatchByItsHighestOutput() {
        TrainingStatistics statistics = new TrainingStatistics(OptionalInt.of(2), 0.5, Duration.ofHours(1), 0,
                TrainingListener.NONE);
        // batch 1: predicted 0 (label 0), predicted 1 (label 1); batch 2: predicted 0 (label 1)
        statistics.scored(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}}, List.of(labelled(0), labelled(1)));
        statistics.scored(new float[][] {{0.7f, 0.3f}}, List.of(labelled(1)));
        PrequentialFigures f = statistics.progress(0, 0, 0).prequential();
        // since the start: p0 = 2/3; predicted (2, 1), actual (1, 2): pc = 2/3*1/3 + 1/3*2/3 = 4/9;
        // kappa = (6/9 - 4/9) / (5/9) = 2/5
        assertEquals(2.0 / 3, f.prequentialAccuracy(), 1e-12);
        assertEquals(0.4, f.prequentialKappa(), 1e-12);
        // alpha 0.5, the same pairs as ClassAgreementTest's fading case: 3/7 and 1/8
        assertEquals(3.0 / 7, f.fadingPrequentialAccuracy(), 1e-12);
        assertEquals(0.125, f.fadingPrequentialKappa(), 1e-12);
        assertEquals(3, statistics.examplesSeen());
    }

    @Test
    void aModelThatDoesNotClassifyHasNoAccuracy() {
        TrainingStatistics statistics = new TrainingStatistics(OptionalInt.empty(), 0.999, Duration.ofHours(1), 0,
                TrainingListener.NONE);
        statistics.scored(new float[][] {{0.5f}}, List.of(new LabeledExample("e", new float[] {0f},
                new Label.Values(new float[] {1f}))));
        PrequentialFigures f = statistics.progress(0, 0, 0).prequential();
        assertTrue(Double.isNaN(f.prequentialAccuracy()) && Double.isNaN(f.prequentialKappa())
                && Double.isNaN(f.fadingPrequentialAccuracy()) && Double.isNaN(f.fadingPrequentialKappa()));
        assertEquals(0.5, statistics.progress(0, 0, 0).trainMeanAbsoluteError(), 1e-6);
    }
}
