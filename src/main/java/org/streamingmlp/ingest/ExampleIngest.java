package org.streamingmlp.ingest;

import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.record.ConsumedExample;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.SourceOffset;
import org.streamingmlp.trainer.TrainingInbox;
import org.streamingmlp.trainer.ValidationWindow;

/**
 * The ingest flow, free of Kafka: decodes a labelled record in the format its content type names, validates it, and
 * hands a good training example to the trainer's inbox (waiting while it is full) and a good validation example to
 * the validation window. A bad record is refused with its reason; the caller dead-letters it. Every record taken is
 * recorded in the {@link OffsetRanges}, so a re-assigned partition resumes after it.
 */
public final class ExampleIngest {

    private final RecordFormats formats;
    private final TrainingInbox inbox;
    private final ValidationWindow validation;
    private final OffsetRanges taken;

    public ExampleIngest(RecordFormats formats, TrainingInbox inbox, ValidationWindow validation, OffsetRanges taken) {
        this.formats = formats;
        this.inbox = inbox;
        this.validation = validation;
        this.taken = taken;
    }

    /**
     * Records a record as taken before it is handled: every record of a polled batch reaches the trainer (or the
     * dead-letter topic) even if a rebalance revokes its partition meanwhile.
     */
    public void taken(SourceOffset source) {
        taken.consumed(source.topic(), source.partition(), source.offset());
    }

    /** A training record: to the trainer, or refused. {@code contentType} may be null (JSON). */
    public void train(String contentType, byte[] value, SourceOffset source)
            throws InvalidRecordException, InterruptedException {
        inbox.put(new ConsumedExample(formats.decoderFor(contentType).decodeExample(value), source));
    }

    /** A validation record: into the validation window, or refused. */
    public void validate(String contentType, byte[] value, SourceOffset source) throws InvalidRecordException {
        validation.add(new ConsumedExample(formats.decoderFor(contentType).decodeExample(value), source));
    }
}
