package org.streamingmlp.record;

/** A record that must not reach the model; carries the reason code and a human-readable detail. */
public final class InvalidRecordException extends Exception {

    private final RejectReason reason;

    public InvalidRecordException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
