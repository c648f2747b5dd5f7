package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.streamingmlp.record.SourceOffset;

class RecordFailuresTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordFailures failures = new RecordFailures(registry);

    @Test
    void aFailureRepeatedAtTheSameOffsetIsReportedUntilThePartitionMovesPastIt() {
        SourceOffset at = new SourceOffset("mlp.train", 1, 17);
        assertFalse(failures.failed("training", at, new IllegalStateException("boom")).repeated());
        failures.passed(new SourceOffset("mlp.train", 0, 99));   // another partition: still outstanding
        RecordFailures.Failure again = failures.failed("training", at, new IllegalStateException("boom"));

        assertTrue(again.repeated());
        assertEquals(2, again.times());
        assertEquals(at, failures.outstanding().orElseThrow().at());
        assertEquals(2.0, registry.counter(RecordFailures.COUNTER, "channel", "training").count());

        failures.passed(new SourceOffset("mlp.train", 1, 17));   // the same offset is not past it
        assertTrue(failures.outstanding().isPresent());
        failures.passed(new SourceOffset("mlp.train", 1, 18));
        assertTrue(failures.outstanding().isEmpty());
    }
}
