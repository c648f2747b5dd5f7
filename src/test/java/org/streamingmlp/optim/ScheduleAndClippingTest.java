package org.streamingmlp.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.NumericBuffer;

class ScheduleAndClippingTest {

    @Test
    void warmupStartsAtZeroAndReachesBase() {
        LearningRateSchedule s = new ScheduleConfig(4, 10, 0.0, false).create(1.0);
        assertEquals(0.0, s.learningRate(0));
        assertEquals(0.5, s.learningRate(2), 1e-15);
        assertEquals(1.0, s.learningRate(4), 1e-15);
    }

    @Test
    void cosineIsHeldAtEtaMinAfterT() {
        LearningRateSchedule s = new ScheduleConfig(0, 10, 0.1, false).create(1.0);
        assertEquals(0.55, s.learningRate(5), 1e-12);
        assertEquals(0.1, s.learningRate(10), 1e-15);
        assertEquals(0.1, s.learningRate(1_000_000), 1e-15);
    }

    @Test
    void warmRestartsRepeatTheCosineEveryT() {
        LearningRateSchedule restarts = new ScheduleConfig(3, 10, 0.01, true).create(1.0);
        LearningRateSchedule plain = new ScheduleConfig(3, 10, 0.01, false).create(1.0);
        for (int s = 0; s < 13; s++) {
            assertEquals(plain.learningRate(s), restarts.learningRate(s), 0.0, "first period identical at " + s);
        }
        assertEquals(1.0, restarts.learningRate(13), 1e-15, "restart at W + T");
        for (int s = 3; s < 13; s++) {
            assertEquals(restarts.learningRate(s), restarts.learningRate(s + 10), 1e-15);
            assertEquals(restarts.learningRate(s), restarts.learningRate(s + 1000), 1e-15);
        }
    }

    @Test
    void constantWarmsUpLinearlyThenHoldsThePeakWhateverTheCosineKeysSay() {
        LearningRateSchedule s = new ScheduleConfig(4, 10, 0.01, true, ScheduleConfig.Kind.CONSTANT).create(0.5);
        assertEquals(0.0, s.learningRate(0), 0.0);
        assertEquals(0.125, s.learningRate(1), 1e-15);   // 0.5 * 1/4
        assertEquals(0.375, s.learningRate(3), 1e-15);   // 0.5 * 3/4
        assertEquals(0.5, s.learningRate(4), 0.0);
        assertEquals(0.5, s.learningRate(14), 0.0);      // where the cosine would have restarted
        assertEquals(0.5, s.learningRate(1_000_000), 0.0);
        assertEquals(0.5, new ScheduleConfig(0, 10, 0.0, false, ScheduleConfig.Kind.CONSTANT).create(0.5)
                .learningRate(0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new ScheduleConfig(0, 10, 0.0, false, null));
    }

    @Test
    void theFourArgumentConfigIsThePyTorchCosine() {
        assertEquals(ScheduleConfig.Kind.COSINE, new ScheduleConfig(0, 10, 0.0, false).kind());
    }

    @Test
    void scheduleIsAPureFunction() {
        LearningRateSchedule s = ScheduleConfig.defaults().create(1e-3);
        double a = s.learningRate(1234);
        s.learningRate(5);
        assertEquals(a, s.learningRate(1234), 0.0);
        assertThrows(IllegalArgumentException.class, () -> s.learningRate(-1));
    }

    @Test
    void invalidScheduleNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScheduleConfig(-1, 10, 0, false));
        assertTrue(e.getMessage().contains("mlp.schedule.warmup-steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(1e-3, 1.0, 0.999, 1e-8, 0.01, true));
        assertTrue(e.getMessage().contains("mlp.optimizer.beta1"), e.getMessage());
    }

    private static NumericBuffer buffer(double... values) {
        NumericBuffer b = NumericBuffer.of(Nd4j.create(DataType.FLOAT, values.length));
        b.setAll(values);
        return b;
    }

    @Test
    void clippingScalesToMaxNormAndReportsTheNormBefore() {
        NumericBuffer g = buffer(3, 4);
        assertEquals(5.0, GradientClipping.clipGlobalNorm(g, 1.0), 1e-6);
        assertEquals(1.0, GradientClipping.globalNorm(List.of(g)), 1e-5);
        NumericBuffer small = buffer(0.3, 0.4);
        assertEquals(0.5, GradientClipping.clipGlobalNorm(small, 1.0), 1e-6);
        assertEquals(0.3, small.get(0), 1e-7, "below the threshold nothing changes");
    }

    @Test
    void clippingLeavesNonFiniteGradientsAlone() {
        NumericBuffer g = buffer(Double.NaN, 1.0);
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(g, 1.0)));
        assertEquals(1.0, g.get(1), 0.0);
    }

    @Test
    void adamwCanExcludeBiasesAndNormsFromDecay() {
        NumericBuffer p = buffer(1, 1);
        NumericBuffer g = buffer(0, 0);
        AdamW adamw = new AdamW(new AdamWConfig(0.1, 0.9, 0.999, 1e-8, 0.5, false), 2);
        adamw.step(p, g, 0.1, 1);
        assertEquals(0.95, p.get(0), 1e-7, "weights decay");
        assertEquals(1.0, p.get(1), 0.0, "the rest does not");
    }
}
