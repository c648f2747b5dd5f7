package org.streamingmlp.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.streamingmlp.codec.RecordFormats;

/** Reads a consumed record's {@value RecordFormats#HEADER} header, the input of {@link RecordFormats#decoderFor}. */
final class ContentTypeHeader {

    private ContentTypeHeader() {
    }

    /** The last {@code content-type} header's value as UTF-8, or null when there is none (or it has no value). */
    static String of(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(RecordFormats.HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
