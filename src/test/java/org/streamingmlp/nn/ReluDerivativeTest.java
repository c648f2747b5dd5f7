package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The branch-free ReLU derivative is {@code x > 0f ? 1f : 0f}, bit for bit, for every kind of float. */
class ReluDerivativeTest {

    @Test
    void matchesTheComparisonOnSpecialValues() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0x7FFFFFFF), Float.intBitsToFloat(0xFF800001),
            Float.intBitsToFloat(0xFFC00000), 1f, -1f};
        for (float x : special) {
            assertSame(x);
        }
    }

    @Test
    void matchesTheComparisonOnEveryBitPatternSample() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1_000_000; i++) {
            assertSame(Float.intBitsToFloat(random.nextInt()));
            assertSame((float) random.nextGaussian());
        }
    }

    private static void assertSame(float x) {
        float expected = x > 0f ? 1f : 0f;
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(ActivationLayer.reluDerivative(x)),
                () -> "x = " + x + " (bits " + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
    }
}
