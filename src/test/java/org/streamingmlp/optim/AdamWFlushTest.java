package org.streamingmlp.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.NumericBuffer;

/**
 * The sweep of negligible moments ({@link NegligibleMoments}, float32 and float64): moments that decay under zero
 * gradients never turn subnormal, while the parameters stay bit for bit those of the plain PyTorch formula without
 * any sweep (computed here element by element, in the same operations), whose moments do turn subnormal; the same
 * holds for small parameters and moments around both floors; and a split update sweeps exactly as one thread does.
 */
class AdamWFlushTest {

    private static final AdamWConfig CONFIG = new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false);

    /**
     * A third of the elements get tiny gradients (1e-16 to 2e-16) for 10 steps and then exact zeros, as weights of an input
     * that is almost always zero: their first moments would turn subnormal after ~700 steps and their second after
     * ~9,000. Checked at every step.
     */
    @Test
    void decayingMomentsNeverTurnSubnormalAndParametersAreThoseOfTheFormula() {
        int n = 5 * AdamW.CHUNK + 123;   // several chunks, the last one partial
        int steps = 9_500;
        AdamW adamW = new AdamW(CONFIG, n, DataType.FLOAT, false);
        Run run = new Run(n);
        Formula32 formula = new Formula32(n);
        SplittableRandom random = new SplittableRandom(11);
        run.initialise(formula.p, i -> (float) (random.nextGaussian() * 0.05));
        int decayed = n / 2;   // weights: decay applies to [0, decayed)
        int subnormalInFormula = 0;
        for (int t = 1; t <= steps; t++) {
            double lr = 1e-3 * (0.5 + 0.5 * Math.cos(Math.PI * t / steps));   // down to 0 at the last step
            float scale = t % 7 == 0 ? 0.5f : 1f;   // a clipping coefficient now and then
            for (int i = 0; i < n; i++) {
                boolean silent = i % 3 == 0;
                double tiny = (1 + random.nextDouble()) * 1e-16 * (random.nextBoolean() ? 1 : -1);
                run.grads.set(i, silent ? (t > 10 ? 0.0 : tiny) : random.nextGaussian() * 1e-3);
            }
            adamW.step(run.params, run.grads, lr, decayed, scale);
            formula.step(t, lr, decayed, scale, run.grads);
            assertNoSubnormal(adamW, t);
            subnormalInFormula = formula.subnormalMoments();
        }
        run.assertParameters(formula.p);
        // the scenario is the one the sweep is for: without it, the silent elements' moments are subnormal
        assertTrue(subnormalInFormula > n / 10, "only " + subnormalInFormula + " subnormal moments without the sweep");
        run.close();
    }

    /**
     * Parameters from 1e-16 to 1e-6 and gradients from 2^-100 to 2^-40 (tiny and silent stretches), so that moments
     * cross both floors while eps dominates the denominator, from the first step (the largest step size): every
     * parameter is still the formula's at every step. A floor much higher than the one claimed harmless fails here.
     */
    @Test
    void momentsAroundTheFloorsLeaveEvenSmallParametersAsTheFormulaHasThem() {
        int n = 3 * AdamW.CHUNK;
        int steps = 1_500;
        AdamW adamW = new AdamW(CONFIG, n, DataType.FLOAT, false);
        Run run = new Run(n);
        Formula32 formula = new Formula32(n);
        SplittableRandom random = new SplittableRandom(13);
        run.initialise(formula.p, i -> (float) (Math.pow(10, -16 + 10 * random.nextDouble())
                * (random.nextBoolean() ? 1 : -1)));
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < n; i++) {
                boolean silent = (t / 50 + i) % 4 == 0;   // silent stretches of 50 steps, staggered
                double g = Math.scalb(1.0 + random.nextDouble(), -100 + i % 61) * (random.nextBoolean() ? 1 : -1);
                run.grads.set(i, silent ? 0.0 : g);
            }
            adamW.step(run.params, run.grads, 1e-3, n, 1.0);
            formula.step(t, 1e-3, n, 1f, run.grads);
            run.assertParameters(formula.p);
        }
        run.close();
    }

    /**
     * With the update split between caller and helper at ranges that are not multiples of the chunk size, every
     * moment is swept at the same steps as in a one-thread update: parameters and moments are bit-identical.
     */
    @Test
    void aSplitUpdateSweepsExactlyAsOneThread() {
        int n = 70_000;   // above AdamW.PARALLEL_MIN_SIZE, so the update is split
        int[] helperRanges = {10_500, 30_000, 52_001, 60_000};   // each thread keeps over a quarter
        AdamW single = new AdamW(CONFIG, n, DataType.FLOAT, false);
        AdamW split = new AdamW(CONFIG, n, DataType.FLOAT, true, helperRanges);
        Run a = new Run(n);
        Run b = new Run(n);
        SplittableRandom random = new SplittableRandom(17);
        float[] initial = new float[n];
        a.initialise(initial, i -> (float) (random.nextGaussian() * 0.05));
        b.initialise(new float[n], i -> initial[i]);
        for (int t = 1; t <= 800; t++) {
            for (int i = 0; i < n; i++) {
                double g = i % 3 == 0 && t > 10 ? 0.0 : random.nextGaussian() * 1e-3;
                a.grads.set(i, g);
                b.grads.set(i, g);
            }
            single.step(a.params, a.grads, 1e-3, n / 2, 1.0);
            split.step(b.params, b.grads, 1e-3, n / 2, 1.0);
            if (t >= 550) {   // from before the silent first moments reach the floor (~580 steps) until all are zero
                assertArrayEquals(single.firstMoment(), split.firstMoment(), "first moments after step " + t);
                assertArrayEquals(single.secondMoment(), split.secondMoment(), "second moments after step " + t);
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(a.params.get(i), b.params.get(i), "parameter " + i);
        }
        int zeroed = 0;
        for (double m : single.firstMoment()) {
            zeroed += m == 0.0 ? 1 : 0;
        }
        assertTrue(zeroed > n / 10, "the sweep set only " + zeroed + " first moments to zero");
        a.close();
        b.close();
    }

    /** float64: moments decaying under zero gradients turn subnormal only after about 6,600 steps. */
    @Test
    void float64MomentsNeverTurnSubnormalAndParametersAreThoseOfTheFormula() {
        int n = 2_000;
        int steps = 7_500;   // 0.9^7000 is below the smallest normal double
        AdamW adamW = new AdamW(CONFIG, n, DataType.DOUBLE);
        var paramArray = Nd4j.create(DataType.DOUBLE, n);
        var gradArray = Nd4j.create(DataType.DOUBLE, n);
        NumericBuffer params = NumericBuffer.of(paramArray);
        NumericBuffer grads = NumericBuffer.of(gradArray);
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
            double decay = 1.0 - lr * CONFIG.weightDecay();
            double stepSize = lr / (1.0 - Math.pow(CONFIG.beta1(), t));
            double sqrtBc2 = Math.sqrt(1.0 - Math.pow(CONFIG.beta2(), t));
            for (int i = 0; i < n; i++) {
                double gi = grads.get(i);
                m[i] = CONFIG.beta1() * m[i] + (1.0 - CONFIG.beta1()) * gi;
                v[i] = CONFIG.beta2() * v[i] + (1.0 - CONFIG.beta2()) * gi * gi;
                p[i] = p[i] * (i < n / 2 ? decay : 1.0) - stepSize * m[i] / (Math.sqrt(v[i]) / sqrtBc2 + CONFIG.eps());
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
        java.lang.ref.Reference.reachabilityFence(paramArray);
        java.lang.ref.Reference.reachabilityFence(gradArray);
    }

    private static void assertNoSubnormal(AdamW adamW, int t) {
        double[] m = adamW.firstMoment();
        double[] v = adamW.secondMoment();
        for (int i = 0; i < m.length; i++) {
            if (subnormal((float) m[i]) || subnormal((float) v[i])) {
                throw new AssertionError("step " + t + ": moment " + i + " is subnormal: " + m[i] + ", " + v[i]);
            }
        }
    }

    private static boolean subnormal(double x) {
        return x != 0.0 && Math.abs(x) < Double.MIN_NORMAL;
    }

    private static boolean subnormal(float x) {
        return x != 0f && Math.abs(x) < Float.MIN_NORMAL;
    }

    /** float32 parameter and gradient buffers of one run (the arrays held, so their memory lives as long as the run). */
    private static final class Run {
        final org.nd4j.linalg.api.ndarray.INDArray paramArray;
        final org.nd4j.linalg.api.ndarray.INDArray gradArray;
        final NumericBuffer params;
        final NumericBuffer grads;

        Run(int n) {
            paramArray = Nd4j.create(DataType.FLOAT, n);
            gradArray = Nd4j.create(DataType.FLOAT, n);
            params = NumericBuffer.of(paramArray);
            grads = NumericBuffer.of(gradArray);
        }

        void initialise(float[] copy, java.util.function.IntToDoubleFunction value) {
            for (int i = 0; i < copy.length; i++) {
                copy[i] = (float) value.applyAsDouble(i);
                params.set(i, copy[i]);
            }
        }

        void assertParameters(float[] expected) {
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits((float) params.get(i))) {
                    throw new AssertionError("parameter " + i + ": formula " + expected[i] + ", ours " + params.get(i));
                }
            }
        }

        void close() {
            java.lang.ref.Reference.reachabilityFence(paramArray);
            java.lang.ref.Reference.reachabilityFence(gradArray);
        }
    }

    /** torch.optim.AdamW's float32 step, element by element, with no sweep. */
    private static final class Formula32 {
        final float[] p;
        final float[] m;
        final float[] v;

        Formula32(int n) {
            p = new float[n];
            m = new float[n];
            v = new float[n];
        }

        void step(int t, double lr, int decayed, float scale, NumericBuffer grads) {
            float b1 = (float) CONFIG.beta1();
            float b2 = (float) CONFIG.beta2();
            float c1 = (float) (1.0 - CONFIG.beta1());
            float c2 = (float) (1.0 - CONFIG.beta2());
            float eps = (float) CONFIG.eps();
            float decay = (float) (1.0 - lr * CONFIG.weightDecay());
            float stepSize = (float) (lr / (1.0 - Math.pow(CONFIG.beta1(), t)));
            float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(CONFIG.beta2(), t));
            for (int i = 0; i < p.length; i++) {
                float gi = (float) grads.get(i) * scale;
                m[i] = b1 * m[i] + c1 * gi;
                v[i] = b2 * v[i] + c2 * gi * gi;
                p[i] = p[i] * (i < decayed ? decay : 1f) - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
            }
        }

        int subnormalMoments() {
            int count = 0;
            for (int i = 0; i < p.length; i++) {
                count += subnormal(m[i]) || subnormal(v[i]) ? 1 : 0;
            }
            return count;
        }
    }
}
