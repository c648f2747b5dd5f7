package org.streamingmlp.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.NumericBuffer;

/**
 * The sweep of negligible moments ({@code AdamW.flushNegligible}, float32 and float64): a run in which many gradients
 * stay exactly zero, so their moments decay step after step, ends with no subnormal moment, and with parameters bit
 * for bit those of the plain PyTorch formula without any sweep (computed here element by element, in the same float
 * operations), whose moments did become subnormal.
 */
class AdamWFlushTest {

    private static final int N = 5 * AdamW.CHUNK + 123;   // several chunks, the last one partial
    private static final int STEPS = 1_500;               // 0.9^700 is below the smallest normal float

    @Test
    void decayingMomentsNeverTurnSubnormalAndParametersAreThoseOfTheFormula() {
        AdamWConfig config = new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false);
        AdamW adamW = new AdamW(config, N, DataType.FLOAT, false);
        NumericBuffer params = NumericBuffer.of(Nd4j.create(DataType.FLOAT, N));
        NumericBuffer grads = NumericBuffer.of(Nd4j.create(DataType.FLOAT, N));
        float[] p = new float[N];
        float[] m = new float[N];
        float[] v = new float[N];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < N; i++) {
            p[i] = (float) (random.nextGaussian() * 0.05);
            params.set(i, p[i]);
        }
        int decayed = N / 2;   // weights: decay applies to [0, decayed)
        for (int t = 1; t <= STEPS; t++) {
            double lr = 1e-3 * (0.5 + 0.5 * Math.cos(Math.PI * t / STEPS));   // down to 0 at the last step
            float scale = t % 7 == 0 ? 0.5f : 1f;   // a clipping coefficient now and then
            for (int i = 0; i < N; i++) {
                // a third of the elements see only zero gradients after step 10, as weights of an always-zero input
                boolean silent = t > 10 && i % 3 == 0;
                grads.set(i, silent ? 0.0 : random.nextGaussian() * 1e-3);
            }
            adamW.step(params, grads, lr, decayed, scale);
            formula(config, t, lr, decayed, scale, grads, p, m, v);
        }
        int subnormalInFormula = 0;
        double[] ourM = adamW.firstMoment();
        double[] ourV = adamW.secondMoment();
        for (int i = 0; i < N; i++) {
            assertEquals(Float.floatToRawIntBits(p[i]), Float.floatToRawIntBits((float) params.get(i)),
                    "parameter " + i);
            assertTrue(!subnormal((float) ourM[i]) && !subnormal((float) ourV[i]),
                    "moment " + i + " is subnormal: " + ourM[i] + ", " + ourV[i]);
            if (subnormal(m[i]) || subnormal(v[i])) {
                subnormalInFormula++;
            }
        }
        // the scenario is the one the sweep is for: without it, the silent elements' moments are subnormal
        assertTrue(subnormalInFormula > N / 10, "only " + subnormalInFormula + " subnormal moments without the sweep");
    }

    /** float64: moments decaying under zero gradients turn subnormal only after about 6,600 steps. */
    @Test
    void float64MomentsNeverTurnSubnormalAndParametersAreThoseOfTheFormula() {
        int n = 2_000;
        int steps = 7_500;   // 0.9^7000 is below the smallest normal double
        AdamWConfig config = new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false);
        AdamW adamW = new AdamW(config, n, DataType.DOUBLE);
        NumericBuffer params = NumericBuffer.of(Nd4j.create(DataType.DOUBLE, n));
        NumericBuffer grads = NumericBuffer.of(Nd4j.create(DataType.DOUBLE, n));
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < n; i++) {
            p[i] = random.nextGaussian() * 0.05;
            params.set(i, p[i]);
        }
        for (int t = 1; t <= steps; t++) {
            double lr = 1e-3 * (0.5 + 0.5 * Math.cos(Math.PI * t / steps));
            for (int i = 0; i < n; i++) {
                grads.set(i, t > 10 && i % 3 == 0 ? 0.0 : random.nextGaussian() * 1e-3);
            }
            adamW.step(params, grads, lr, n / 2, 1.0);
            double decay = 1.0 - lr * config.weightDecay();
            double stepSize = lr / (1.0 - Math.pow(config.beta1(), t));
            double sqrtBc2 = Math.sqrt(1.0 - Math.pow(config.beta2(), t));
            for (int i = 0; i < n; i++) {
                double gi = grads.get(i);
                m[i] = config.beta1() * m[i] + (1.0 - config.beta1()) * gi;
                v[i] = config.beta2() * v[i] + (1.0 - config.beta2()) * gi * gi;
                p[i] = p[i] * (i < n / 2 ? decay : 1.0) - stepSize * m[i] / (Math.sqrt(v[i]) / sqrtBc2 + config.eps());
            }
        }
        int subnormalInFormula = 0;
        double[] ourM = adamW.firstMoment();
        double[] ourV = adamW.secondMoment();
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(p[i]), Double.doubleToRawLongBits(params.get(i)), "parameter " + i);
            assertTrue(!subnormal(ourM[i]) && !subnormal(ourV[i]),
                    "moment " + i + " is subnormal: " + ourM[i] + ", " + ourV[i]);
            if (subnormal(m[i]) || subnormal(v[i])) {
                subnormalInFormula++;
            }
        }
        assertTrue(subnormalInFormula > n / 10, "only " + subnormalInFormula + " subnormal moments without the sweep");
    }

    private static boolean subnormal(double x) {
        return x != 0.0 && Math.abs(x) < Double.MIN_NORMAL;
    }

    private static boolean subnormal(float x) {
        return x != 0f && Math.abs(x) < Float.MIN_NORMAL;
    }

    /** torch.optim.AdamW's float32 step, element by element, with no sweep. */
    private static void formula(AdamWConfig c, int t, double lr, int decayed, float scale, NumericBuffer grads,
                                float[] p, float[] m, float[] v) {
        float b1 = (float) c.beta1();
        float b2 = (float) c.beta2();
        float c1 = (float) (1.0 - c.beta1());
        float c2 = (float) (1.0 - c.beta2());
        float eps = (float) c.eps();
        float decay = (float) (1.0 - lr * c.weightDecay());
        float stepSize = (float) (lr / (1.0 - Math.pow(c.beta1(), t)));
        float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(c.beta2(), t));
        for (int i = 0; i < p.length; i++) {
            float gi = (float) grads.get(i) * scale;
            m[i] = b1 * m[i] + c1 * gi;
            v[i] = b2 * v[i] + c2 * gi * gi;
            p[i] = p[i] * (i < decayed ? decay : 1f) - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
        }
    }
}
