package org.streamingmlp.kafka;

import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.RejectReason;

/** The dead-letter rejection of a record whose handling threw: reason {@code processing-failed}, the error as cause. */
final class ProcessingFailure {

    private ProcessingFailure() {
    }

    static InvalidRecordException of(RuntimeException error) {
        return new InvalidRecordException(RejectReason.PROCESSING_FAILED, "handling the record failed: " + error);
    }
}
