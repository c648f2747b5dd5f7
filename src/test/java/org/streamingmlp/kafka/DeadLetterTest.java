package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.RejectReason;

class DeadLetterTest {

    private static final int MAX_REQUEST = 1_048_576;
    private static final InvalidRecordException OVERSIZED = new InvalidRecordException(RejectReason.OVERSIZED, "big");

    @Test
    void aRecordThatFitsIsDeadLetteredWholeWithItsHeaders() {
        ConsumerRecord<byte[], byte[]> record = record(new byte[] {1, 2}, new byte[1000]);
        record.headers().add("trace", new byte[] {7});
        DeadLetter letter = DeadLetter.of(record, OVERSIZED, MAX_REQUEST);
        assertFalse(letter.truncated());
        assertArrayEquals(record.value(), letter.value());
        assertArrayEquals(new byte[] {7}, letter.headers().lastHeader("trace").value());
        assertEquals("oversized", text(letter.headers().lastHeader(DeadLetter.REASON)));
        assertEquals("42", text(letter.headers().lastHeader(DeadLetter.OFFSET)));
    }

    @Test
    void aRecordTooLargeForOneRequestIsTruncatedWithItsOriginalSize() {
        byte[] value = new byte[5 * MAX_REQUEST];
        Arrays.fill(value, (byte) 'x');
        byte[] key = new byte[100_000];
        ConsumerRecord<byte[], byte[]> record = record(key, value);
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        record.headers().add("junk", new byte[300_000]);
        DeadLetter letter = DeadLetter.of(record, OVERSIZED, MAX_REQUEST);

        assertTrue(letter.truncated());
        assertEquals(Integer.toString(value.length), text(letter.headers().lastHeader(DeadLetter.ORIGINAL_SIZE)));
        assertEquals("100000", text(letter.headers().lastHeader(DeadLetter.ORIGINAL_KEY_SIZE)));
        assertEquals("application/json", text(letter.headers().lastHeader("content-type")));
        assertNull(letter.headers().lastHeader("junk"));
        assertEquals(DeadLetter.MAX_TRUNCATED_KEY, letter.key().length);
        int size = letter.key().length + letter.value().length;
        for (Header h : letter.headers()) {
            size += h.key().length() + h.value().length;
        }
        assertTrue(size <= MAX_REQUEST - DeadLetter.FRAMING, "dead letter of " + size + " bytes");
        assertTrue(letter.value().length > MAX_REQUEST / 2, "keeps as much of the value as fits");
        assertArrayEquals(Arrays.copyOf(value, letter.value().length), letter.value(), "a prefix of the original");
    }

    @Test
    void aLongCauseIsBounded() {
        String quoted = "x".repeat(100_000);
        DeadLetter letter = DeadLetter.of(record(null, new byte[1]),
                new InvalidRecordException(RejectReason.UNKNOWN_LABEL, "'" + quoted + "' is not a class"), MAX_REQUEST);
        assertTrue(letter.headers().lastHeader(DeadLetter.CAUSE).value().length <= DeadLetter.MAX_CAUSE_CHARS + 3);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>("mlp.train", 0, 42, key, value);
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
