package org.streamingmlp.codec;

import java.nio.ByteOrder;

/**
 * Version 1 of the binary record layout (content type {@value RecordFormats#BINARY}), shared by
 * {@link BinaryRecordEncoder} and {@link BinaryRecordDecoder}. All numbers are little-endian; the README has
 * the same table.
 * <pre>
 * offset      size    field
 * 0           3       magic "MLP" (0x4D 0x4C 0x50)
 * 3           1       version, 0x01
 * 4           1       kind: 0x01 labelled example (training, validation), 0x02 prediction request
 * 5           1       flags: 0x01 has id; 0x02 the label is target values, else a class index; other bits 0
 * 6           2       u16 id length n (0 without id)
 * 8           n       id, UTF-8
 * 8+n         4       u32 feature count m
 * 12+n        4m      m float32 features
 * 12+n+4m             examples only, the label:
 *             4         class index: int32
 *             2+4k      target values: u16 count k, then k float32
 * </pre>
 * Nothing follows the last field. A prediction request has no label and flag 0x02 clear.
 */
public final class BinaryLayout {

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final byte[] MAGIC = {'M', 'L', 'P'};
    public static final byte VERSION = 1;
    public static final byte KIND_EXAMPLE = 1;
    public static final byte KIND_REQUEST = 2;
    public static final int FLAG_HAS_ID = 0x01;
    public static final int FLAG_VALUES_LABEL = 0x02;
    /** Magic, version, kind, flags and the id length: the fixed part before the id. */
    public static final int HEADER_BYTES = 8;
    /** The longest id, in UTF-8 bytes (u16). */
    public static final int MAX_ID_BYTES = 0xFFFF;
    /** The most target values a label may carry (u16). */
    public static final int MAX_LABEL_VALUES = 0xFFFF;

    private BinaryLayout() {
    }
}
