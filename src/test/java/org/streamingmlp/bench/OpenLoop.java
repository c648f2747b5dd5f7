package org.streamingmlp.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: request {@code i} of a step is due at {@code start + i / rate}, whether or not earlier answers
 * came back, and its latency is measured from that due time to its answer (so a stalled generator or service
 * cannot hide queueing: no coordinated omission). The generator thread sleeps until the next request is due and then
 * submits every request that is due; it never spins, so it leaves the CPU to the service between requests.
 * Subclasses submit request {@code i} and call {@link #answered(int, long)} when its answer arrives.
 */
abstract class OpenLoop implements AutoCloseable {

    /** Figures of one step at one offered rate. */
    record Step(double offeredRate, double seconds, int sent, int answered, int failed, double achievedSendRate,
                double maxSendLagMillis, double answerRate, double p50Millis, double p99Millis, double p999Millis,
                double maxMillis, double meanMillis, double latencyGrowthMillis) {

        /**
         * The service kept up: every request answered, answers came at 95% of the offered rate or more, and no
         * backlog built up during the step (the median latency of the requests due in the step's last quarter
         * exceeds that of its first quarter by at most the bound), with the generator on schedule.
         */
        boolean sustained(double growthBoundMillis) {
            return answered == sent && failed == 0 && answerRate >= 0.95 * offeredRate
                    && latencyGrowthMillis <= growthBoundMillis && !generatorLimited();
        }

        /** The generator sent at less than 95% of the offered rate: the step measured the generator. */
        boolean generatorLimited() {
            return achievedSendRate < 0.95 * offeredRate;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offeredRate", offeredRate);
            m.put("seconds", seconds);
            m.put("sent", sent);
            m.put("answered", answered);
            m.put("failed", failed);
            m.put("achievedSendRate", achievedSendRate);
            m.put("maxSendLagMillis", maxSendLagMillis);
            m.put("answerRate", answerRate);
            m.put("p50Millis", p50Millis);
            m.put("p99Millis", p99Millis);
            m.put("p999Millis", p999Millis);
            m.put("maxMillis", maxMillis);
            m.put("meanMillis", meanMillis);
            m.put("latencyGrowthMillis", latencyGrowthMillis);
            return m;
        }
    }

    protected final long[] due;
    protected final long[] received;
    protected final long[] sentAt;
    protected final boolean[] failures;
    private final AtomicLong answeredCount = new AtomicLong();
    private volatile int next;

    OpenLoop(int capacity) {
        due = new long[capacity];
        received = new long[capacity];
        sentAt = new long[capacity];
        failures = new boolean[capacity];
    }

    /** Sends request {@code index} (due at {@code due[index]}). Called from the generator thread. */
    protected abstract void submit(int index) throws Exception;

    /** Gives up on requests not yet sent (called after a step's grace): they stay unanswered. */
    protected void abandon() {
    }

    /** Waits until no answer has arrived for a second (at most {@code maxSeconds}): the backlog is gone. */
    void drain(double maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long seen = answeredCount.get();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 1_000_000_000L) {
            Thread.sleep(50);
            long now = answeredCount.get();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /** Records the first answer of request {@code index}. */
    protected final void answered(int index, long nanos) {
        if (index >= 0 && index < next && received[index] == 0) {
            received[index] = nanos;
            answeredCount.incrementAndGet();
        }
    }

    protected final void failed(int index) {
        if (index >= 0 && index < received.length) {
            failures[index] = true;
            answeredCount.incrementAndGet();
        }
    }

    /**
     * Offers {@code rate} requests per second for {@code seconds}, then waits for the answers (at most
     * {@code grace} after the last one was due, and no longer than 2 s without a new answer).
     */
    Step run(double rate, double seconds, double graceSeconds) throws Exception {
        int count = (int) Math.round(rate * seconds);
        if (next + count > due.length) {
            throw new IllegalStateException("capacity of " + due.length + " requests exhausted");
        }
        int from = next;
        long start = System.nanoTime() + 1_000_000;
        double period = 1e9 / rate;
        for (int i = 0; i < count; i++) {
            due[from + i] = start + (long) (i * period);
        }
        next = from + count;   // answers to this step's indexes are accepted from here on
        long baseAnswered = answeredCount.get();
        int i = 0;
        while (i < count) {
            long now = System.nanoTime();
            while (i < count && due[from + i] <= now) {
                sentAt[from + i] = System.nanoTime();
                submit(from + i);
                i++;
            }
            if (i < count) {
                long wait = due[from + i] - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        long lastDue = due[from + count - 1];
        long deadline = lastDue + (long) (graceSeconds * 1e9);
        long lastProgress = System.nanoTime();
        long seen = answeredCount.get();
        while (answeredCount.get() - baseAnswered < count && System.nanoTime() < deadline
                && System.nanoTime() - lastProgress < 2_000_000_000L) {
            Thread.sleep(5);
            long now = answeredCount.get();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
        }
        abandon();
        return stats(rate, seconds, from, count);
    }

    private Step stats(double rate, double seconds, int from, int count) {
        long[] latencies = new long[count];
        int answered = 0;
        int failed = 0;
        long maxLag = 0;
        long firstAnswer = Long.MAX_VALUE;
        long lastAnswer = Long.MIN_VALUE;
        long lastSent = Long.MIN_VALUE;
        double sum = 0;
        for (int k = from; k < from + count; k++) {
            maxLag = Math.max(maxLag, sentAt[k] - due[k]);
            lastSent = Math.max(lastSent, sentAt[k]);
            if (failures[k]) {
                failed++;
            } else if (received[k] != 0) {
                long latency = received[k] - due[k];
                latencies[answered++] = latency;
                sum += latency;
                firstAnswer = Math.min(firstAnswer, received[k]);
                lastAnswer = Math.max(lastAnswer, received[k]);
            }
        }
        long[] sorted = Arrays.copyOf(latencies, answered);
        Arrays.sort(sorted);
        int quarter = Math.max(1, count / 4);
        double growth = answered == count
                ? (medianLatency(from + count - quarter, quarter) - medianLatency(from, quarter)) / 1e6
                : Double.POSITIVE_INFINITY;
        double sendSeconds = (lastSent - due[from]) / 1e9;
        double answerSeconds = (lastAnswer - firstAnswer) / 1e9;
        return new Step(rate, seconds, count, answered, failed, sendSeconds > 0 ? (count - 1) / sendSeconds : count,
                maxLag / 1e6, answered > 1 && answerSeconds > 0 ? (answered - 1) / answerSeconds : Double.NaN,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
                answered == 0 ? Double.NaN : sorted[answered - 1] / 1e6, answered == 0 ? Double.NaN : sum / answered / 1e6,
                growth);
    }

    private double medianLatency(int from, int count) {
        long[] l = new long[count];
        for (int k = 0; k < count; k++) {
            l[k] = received[from + k] - due[from + k];
        }
        Arrays.sort(l);
        return l[count / 2];
    }

    /** Nearest-rank percentile in milliseconds. */
    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
}
