package org.streamingmlp.nn;

import java.util.random.RandomGenerator;

/** Seeded, reproducible weight initialisation (PyTorch conventions). */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Xavier/Glorot uniform, gain 1: {@code U(-a, a)}, {@code a = sqrt(6/(fanIn + fanOut))}, variance {@code a^2/3}.
     * For a Linear weight {@code [out, in]}: fanIn = in, fanOut = out.
     */
    public static void xavierUniform(NumericBuffer weight, int fanIn, int fanOut, RandomGenerator random) {
        double a = xavierBound(fanIn, fanOut);
        for (int i = 0, n = weight.length(); i < n; i++) {
            weight.set(i, (2.0 * random.nextDouble() - 1.0) * a);
        }
    }

    /** The Xavier-uniform bound {@code sqrt(6/(fanIn + fanOut))}. */
    public static double xavierBound(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    /** Normal {@code N(0, std^2)} (embeddings use std 0.02). */
    public static void normal(NumericBuffer weight, double std, RandomGenerator random) {
        for (int i = 0, n = weight.length(); i < n; i++) {
            weight.set(i, random.nextGaussian() * std);
        }
    }
}
