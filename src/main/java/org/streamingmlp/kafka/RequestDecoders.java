package org.streamingmlp.kafka;

import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.streamingmlp.codec.RecordDecoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.record.InvalidRecordException;

/**
 * The decoder of each record of one polled batch, by its {@value RecordFormats#HEADER} header: a batch's records
 * nearly always share one content type, so the header's bytes are compared with the previous record's and the
 * decoder reused, instead of decoding, trimming, lower-casing and switching on the header's string per record. A
 * content type {@link RecordFormats#decoderFor} rejects is rejected again for every record that has it. Not
 * thread-safe: one per batch.
 */
final class RequestDecoders {

    private final RecordFormats formats;
    private RecordDecoder last;
    private byte[] lastType;
    private boolean lastHadNoHeader;

    RequestDecoders(RecordFormats formats) {
        this.formats = formats;
    }

    /** {@code formats.decoderFor(ContentTypeHeader.of(record))}. */
    RecordDecoder decoderFor(ConsumerRecord<byte[], byte[]> record) throws InvalidRecordException {
        Header header = record.headers().lastHeader(RecordFormats.HEADER);
        byte[] type = header == null ? null : header.value();
        if (last != null && (type == null ? lastHadNoHeader : !lastHadNoHeader && Arrays.equals(type, lastType))) {
            return last;
        }
        RecordDecoder decoder = formats.decoderFor(ContentTypeHeader.of(record));
        last = decoder;
        lastType = type;
        lastHadNoHeader = type == null;
        return decoder;
    }
}
