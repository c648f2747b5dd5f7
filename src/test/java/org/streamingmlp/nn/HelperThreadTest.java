package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link HelperThread#runBoth}: both parts run once, and neither is still running when it returns or throws. */
class HelperThreadTest {

    @Test
    void bothPartsRunExactlyOnceAndAreVisibleAfterwards() {
        for (int i = 0; i < 2_000; i++) {
            int[] written = new int[2];
            AtomicInteger runs = new AtomicInteger();
            HelperThread.runBoth(() -> {
                written[0] = 1;
                runs.incrementAndGet();
            }, () -> {
                written[1] = 2;
                runs.incrementAndGet();
            });
            assertEquals(2, runs.get());
            assertEquals(1, written[0]);
            assertEquals(2, written[1]); // a plain write by the other thread, seen after runBoth returns
        }
    }

    @Test
    void aFailingHelperPartIsRethrownToTheCaller() {
        IllegalStateException failure = new IllegalStateException("helper part failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HelperThread.runBoth(() -> { }, () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
    }

    @Test
    void aFailingCallerPartWaitsForTheHelperPartBeforeThrowing() {
        AtomicBoolean helperDone = new AtomicBoolean();
        assertThrows(ArithmeticException.class, () -> HelperThread.runBoth(() -> {
            throw new ArithmeticException("caller part failed");
        }, () -> {
            long end = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            helperDone.set(true);
        }));
        assertTrue(helperDone.get(), "runBoth threw while the helper part was still running");
    }
}
