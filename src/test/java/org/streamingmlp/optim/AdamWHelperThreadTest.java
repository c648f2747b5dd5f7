package org.streamingmlp.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.NumericBuffer;

/**
 * A float32 update split across the helper thread, by halves or by the ranges a model gives, is bit-identical to the
 * one-thread update.
 */
class AdamWHelperThreadTest {

    @Test
    void splitUpdateEqualsSingleThreadUpdate() {
        assertSplitEqualsSingle(null);
    }

    /** The helper's share given as ranges (as a model hands it the weight rows it computed), several per thread. */
    @Test
    void splitByRangesEqualsSingleThreadUpdate() {
        assertSplitEqualsSingle(new int[] {10_000, 60_000, 120_000, 190_000});
        assertSplitEqualsSingle(new int[] {0, 90_000, 150_000, 200_003});
        assertSplitEqualsSingle(new int[] {5, 9}); // too little for the helper: the second half instead
    }

    @Test
    void rangesThatAreNotAscendingDisjointPairsAreRejected() {
        AdamWConfig config = AdamWConfig.defaults();
        for (int[] bad : new int[][] {{60_000, 10_000}, {0, 50_000, 40_000, 90_000}, {0, 200_004}, {-1, 100}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AdamW(config, 200_003, DataType.FLOAT, bad));
            assertTrue(e.getMessage().contains("helper ranges"), e.getMessage());
        }
    }

    private static void assertSplitEqualsSingle(int[] helperRanges) {
        int n = 200_003;
        AdamWConfig config = new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false);
        AdamW single = new AdamW(config, n, DataType.FLOAT, false);
        AdamW split = new AdamW(config, n, DataType.FLOAT, true, helperRanges);
        INDArray p1 = Nd4j.create(DataType.FLOAT, n);
        INDArray p2 = Nd4j.create(DataType.FLOAT, n);
        INDArray g = Nd4j.create(DataType.FLOAT, n);
        NumericBuffer pb1 = NumericBuffer.of(p1);
        NumericBuffer pb2 = NumericBuffer.of(p2);
        NumericBuffer gb = NumericBuffer.of(g);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian();
            pb1.set(i, v);
            pb2.set(i, v);
        }
        for (int step = 0; step < 5; step++) {
            for (int i = 0; i < n; i++) {
                gb.set(i, random.nextGaussian() * 1e-2);
            }
            single.step(pb1, gb, 1e-3, 150_000, 0.7);
            split.step(pb2, gb, 1e-3, 150_000, 0.7);
        }
        assertArrayEquals(pb1.toFloatArray(), pb2.toFloatArray());
        assertArrayEquals(single.firstMoment(), split.firstMoment());
        assertArrayEquals(single.secondMoment(), split.secondMoment());
    }
}
