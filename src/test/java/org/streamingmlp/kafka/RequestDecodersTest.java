package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.RejectReason;

/**
 * The batch's decoder memo picks, record after record in any mix of content types, exactly the decoder
 * {@link RecordFormats#decoderFor} picks for that record's header, and rejects an unsupported type every time.
 */
class RequestDecodersTest {

    private static ConsumerRecord<byte[], byte[]> record(String contentType, boolean nullValue) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("requests", 0, 0, null, new byte[0]);
        if (contentType != null) {
            record.headers().add("other", new byte[] {1});
            record.headers().add(RecordFormats.HEADER, contentType.getBytes(StandardCharsets.UTF_8));
        } else if (nullValue) {
            record.headers().add(RecordFormats.HEADER, null);
        }
        return record;
    }

    @Test
    void everyRecordGetsTheDecoderOfItsOwnHeader() throws Exception {
        RecordFormats formats = new RecordFormats(new ObjectMapper(), 4, 3, LossKind.CROSS_ENTROPY, 1 << 20);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String type : new String[] {RecordFormats.BINARY, RecordFormats.BINARY, null, RecordFormats.JSON,
                "Application/JSON; charset=utf-8", RecordFormats.BINARY, null, "text/plain", RecordFormats.BINARY,
                "text/plain"}) {
            records.add(record(type, false));
        }
        records.add(3, record(null, true));
        RequestDecoders decoders = new RequestDecoders(formats);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String type = ContentTypeHeader.of(record);
            if ("text/plain".equals(type)) {
                InvalidRecordException e = assertThrows(InvalidRecordException.class,
                        () -> decoders.decoderFor(record));
                assertEquals(RejectReason.UNSUPPORTED_FORMAT, e.reason());
            } else {
                assertSame(formats.decoderFor(type), decoders.decoderFor(record), "content type " + type);
            }
        }
    }
}
