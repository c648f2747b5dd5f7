package org.streamingmlp.nn;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;

/**
 * The second core for a training step: one shared daemon thread ({@code step-helper}) that runs one half of a job
 * split in two while the calling thread runs the other half. Used by {@link Gemm} (a large product split by rows or
 * columns of C) and by {@code optim.AdamW} (the second half of the parameters); each splits so that every element is
 * computed by the same arithmetic whichever thread runs it, so results do not depend on the split.
 *
 * <p>Waking a parked thread takes 50-100 microseconds on this project's virtual machine (the idle virtual CPU is
 * halted), longer than half of most products of a step. So after a job the helper keeps polling for the next one
 * for at most {@code streamingmlp.step-helper.spin-us} microseconds (default {@value #DEFAULT_SPIN_US}: the gaps
 * between the split parts of one step), then parks; between steps and when the trainer is idle it costs nothing.
 * The caller, when done with its half first, likewise polls for the helper's for at most as long before it parks.
 * 0 parks at once. If the helper has not picked up its half by the time the caller has finished its own (the other
 * core is busy with another process), the caller runs that half itself instead of waiting for the helper.
 */
public final class HelperThread {
    public static final int DEFAULT_SPIN_US = 200;
    private static volatile long spinNs = Math.max(0, Integer.getInteger("streamingmlp.step-helper.spin-us",
            DEFAULT_SPIN_US)) * 1000L;
    private static final boolean SECOND_CORE = Runtime.getRuntime().availableProcessors() > 1;
    private static final ConcurrentLinkedQueue<FutureTask<Void>> JOBS = new ConcurrentLinkedQueue<>();
    private static volatile boolean parked;
    private static final Thread HELPER = start();

    private HelperThread() {
    }

    private static Thread start() {
        Thread t = new Thread(HelperThread::serve, "step-helper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void serve() {
        long lastJob = System.nanoTime();
        while (true) {
            FutureTask<Void> job = JOBS.poll();
            if (job != null) {
                job.run();
                lastJob = System.nanoTime();
            } else if (System.nanoTime() - lastJob < spinNs) {
                Thread.onSpinWait();
            } else {
                parked = true;
                if (JOBS.isEmpty()) {
                    LockSupport.park(HelperThread.class);
                }
                parked = false;
                lastJob = System.nanoTime();
            }
        }
    }

    /**
     * Process-wide: how long the helper, and a caller waiting for it, poll before they park (0: park at once); the
     * property's value until called.
     */
    public static void spinMicros(int micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("spin must not be negative: " + micros);
        }
        spinNs = micros * 1000L;
    }

    /** True when the machine has a second core for the helper (else splitting only adds hand-off cost). */
    public static boolean available() {
        return SECOND_CORE;
    }

    /**
     * Runs {@code helperPart} on the helper thread and {@code callerPart} on this thread and returns when both have
     * finished (also when one of them throws: nothing is still writing when this returns). An exception of either
     * part is rethrown as an unchecked exception.
     */
    public static void runBoth(Runnable callerPart, Runnable helperPart) {
        FutureTask<Void> other = new FutureTask<>(helperPart, null);
        JOBS.add(other);
        if (parked) {
            LockSupport.unpark(HELPER);
        }
        try {
            callerPart.run();
        } catch (RuntimeException | Error e) {
            other.run(); // not cancel: a cancelled FutureTask's get() returns while its runner is still writing
            Throwable helperFailure = awaitUninterruptibly(other);
            if (helperFailure != null) {
                e.addSuppressed(helperFailure);   // both parts failed: keep the helper's cause for the diagnosis
            }
            throw e;
        }
        other.run(); // does nothing if the helper has started it already
        long spinStart = System.nanoTime();
        while (!other.isDone() && System.nanoTime() - spinStart < spinNs) {
            Thread.onSpinWait(); // parking here would cost this thread the same wake-up
        }
        Throwable failure = awaitUninterruptibly(other);
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** A pass over elements {@code [from, to)} of some arrays. */
    @FunctionalInterface
    public interface RangePass {
        void run(int from, int to);
    }

    /**
     * Runs {@code pass} over {@code [0, length)}: in two parts, {@code [0, cut)} on this thread and
     * {@code [cut, length)} on the helper, when {@code split} is true and {@code length >= minLength} ({@code cut} is
     * the half rounded to a multiple of 16, 64 bytes of float32); else in one call here. For element-wise passes
     * between the split products of a step (activations, dropout), which would otherwise leave the helper polling.
     * The pass must compute each element the same way whichever part it is in.
     */
    public static void runHalves(int length, int minLength, boolean split, RangePass pass) {
        int cut = (length / 32) * 16;
        if (!split || length < minLength || cut == 0) {
            pass.run(0, length);
            return;
        }
        runBoth(() -> pass.run(0, cut), () -> pass.run(cut, length));
    }

    /** Waits for {@code task} to end (keeping an interrupt for later); its failure, or null. */
    private static Throwable awaitUninterruptibly(FutureTask<Void> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
