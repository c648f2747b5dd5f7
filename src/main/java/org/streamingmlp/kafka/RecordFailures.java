package org.streamingmlp.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;

import org.jboss.logging.Logger;
import org.streamingmlp.record.SourceOffset;

/**
 * Records that the service failed to handle (an exception, not a bad record) or failed to dead-letter: counted
 * ({@value #COUNTER}, by channel), logged with topic, partition and offset, and remembered so that a failure that
 * repeats on the same offset (a partition replayed from a checkpoint's position after a rebalance or a restart)
 * shows on the readiness check until the partition moves past it. The channels never stop for a failure: the record
 * is dead-lettered ({@code processing-failed}) and consumption goes on. Thread-safe.
 */
@ApplicationScoped
public class RecordFailures {

    public static final String COUNTER = "mlp.records.failed";
    /** Offsets remembered to recognise a repeat; the oldest are forgotten first. */
    private static final int REMEMBERED = 1000;
    private static final Logger LOG = Logger.getLogger(RecordFailures.class);

    /**
     * The latest failure.
     *
     * @param times failures at this very offset since startup (2 or more: it was replayed and failed again)
     */
    public record Failure(String channel, SourceOffset at, String error, int times) {
        public boolean repeated() {
            return times > 1;
        }
    }

    private final Map<SourceOffset, Integer> counts = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SourceOffset, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };
    private volatile Failure last;

    @Inject
    MeterRegistry registry;

    public RecordFailures() {
    }

    RecordFailures(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Handling (or dead-lettering) the record at {@code at} threw {@code error}. */
    public synchronized Failure failed(String channel, SourceOffset at, Throwable error) {
        int times = counts.merge(at, 1, Integer::sum);
        Failure failure = new Failure(channel, at, error.toString(), times);
        last = failure;
        registry.counter(COUNTER, "channel", channel).increment();
        LOG.errorf(error, "Record %s-%d@%d on channel %s failed (%d time%s at this offset); it is dead-lettered as "
                        + "processing-failed and the channel goes on", at.topic(), at.partition(), at.offset(),
                channel, times, times == 1 ? "" : "s");
        return failure;
    }

    /** The record at {@code at} was handled: a failure earlier in its partition is behind us. */
    public void passed(SourceOffset at) {
        Failure failure = last;
        if (failure != null && failure.at().topic().equals(at.topic()) && failure.at().partition() == at.partition()
                && at.offset() > failure.at().offset()) {
            synchronized (this) {
                if (last == failure) {
                    last = null;
                }
            }
        }
    }

    /** The latest failure whose partition has not moved past it since. */
    public Optional<Failure> outstanding() {
        return Optional.ofNullable(last);
    }
}
