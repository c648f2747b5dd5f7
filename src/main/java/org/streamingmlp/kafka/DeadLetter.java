package org.streamingmlp.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.streamingmlp.record.InvalidRecordException;

/**
 * A dead letter as it will be sent: the original key, value and headers plus headers that say why and where it came
 * from; cut down to fit one producer request. A consumer can receive a record larger than the producer may send
 * (the broker checks the compressed size: 5 MB of zeros arrive compressed in a few KB), and a dead letter the
 * producer refuses would fail the channel, then the replay would fail again: a crash loop. So a record that does not
 * fit is sent truncated: its value cut to what fits, its key to {@value #MAX_TRUNCATED_KEY} bytes, only the
 * content-type of its original headers, and {@link #ORIGINAL_SIZE} naming the value's full size.
 */
record DeadLetter(byte[] key, byte[] value, RecordHeaders headers) {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Present on a truncated dead letter only: the original value's size in bytes. */
    public static final String ORIGINAL_SIZE = "dead-letter-original-size";
    /** Present on a truncated dead letter only: the original key's size in bytes. */
    public static final String ORIGINAL_KEY_SIZE = "dead-letter-original-key-size";

    static final int MAX_CAUSE_CHARS = 1000;
    static final int MAX_TRUNCATED_KEY = 1024;
    /** Room for the record batch's framing and the producer's own overhead, below {@code max.request.size}. */
    static final int FRAMING = 4096;
    private static final String CONTENT_TYPE = "content-type";

    /**
     * @param maxRequestSize the producer's {@code max.request.size}: the dead letter must fit one request
     */
    static DeadLetter of(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection,
                         int maxRequestSize) {
        byte[] key = record.key();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        RecordHeaders own = ownHeaders(record, rejection);
        RecordHeaders all = new RecordHeaders();
        record.headers().forEach(all::add);
        own.forEach(all::add);
        int budget = maxRequestSize - FRAMING;
        if (length(key) + value.length + size(all) <= budget) {
            return new DeadLetter(key, value, all);
        }
        RecordHeaders truncated = new RecordHeaders();
        Header contentType = record.headers().lastHeader(CONTENT_TYPE);
        if (contentType != null && length(contentType.value()) <= 256) {
            truncated.add(contentType);
        }
        own.forEach(truncated::add);
        truncated.add(ORIGINAL_SIZE, bytes(Integer.toString(value.length)));
        truncated.add(ORIGINAL_KEY_SIZE, bytes(Integer.toString(length(key))));
        byte[] shortKey = key == null || key.length <= MAX_TRUNCATED_KEY ? key : Arrays.copyOf(key, MAX_TRUNCATED_KEY);
        int room = Math.max(0, budget - length(shortKey) - size(truncated));
        return new DeadLetter(shortKey, Arrays.copyOf(value, Math.min(value.length, room)), truncated);
    }

    boolean truncated() {
        return headers.lastHeader(ORIGINAL_SIZE) != null;
    }

    private static RecordHeaders ownHeaders(ConsumerRecord<byte[], byte[]> record, InvalidRecordException rejection) {
        RecordHeaders headers = new RecordHeaders();
        String cause = rejection.getMessage() == null ? "" : rejection.getMessage();
        headers.add(REASON, bytes(rejection.reason().code()));
        // a cause may quote the input (an unknown class name): bounded, so a dead letter never grows with it
        headers.add(CAUSE, bytes(cause.length() <= MAX_CAUSE_CHARS ? cause
                : cause.substring(0, MAX_CAUSE_CHARS) + "..."));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET, bytes(Long.toString(record.offset())));
        return headers;
    }

    /** Bytes the headers take in a record, with a few bytes of varint framing each. */
    private static int size(RecordHeaders headers) {
        int size = 0;
        for (Header header : headers) {
            size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value()) + 10;
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
