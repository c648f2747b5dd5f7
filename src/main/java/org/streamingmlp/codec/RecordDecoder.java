package org.streamingmlp.codec;

import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;

/**
 * Turns the value of one input record into a validated example or prediction request, or says why it cannot.
 * One implementation per wire format ({@link JsonRecordDecoder}, {@link BinaryRecordDecoder}); all of them apply
 * the same {@link RecordValidator}, so a record is accepted or rejected for the same reason whatever its format.
 * Implementations know nothing of Kafka; {@link RecordFormats} picks one from the record's content type.
 */
public interface RecordDecoder {

    /** A training or validation example. */
    LabeledExample decodeExample(byte[] value) throws InvalidRecordException;

    /** A prediction request. */
    PredictionRequest decodeRequest(byte[] value) throws InvalidRecordException;
}
