package org.streamingmlp.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes records in the binary layout ({@link BinaryLayout}); send them with the Kafka header
 * {@code content-type: }{@value RecordFormats#BINARY}. For clients and tests: it checks only what the layout
 * cannot hold (ids over 65,535 UTF-8 bytes, more than 65,535 target values), never the values themselves, so it
 * can also write records the service will reject.
 */
public final class BinaryRecordEncoder {

    private BinaryRecordEncoder() {
    }

    /** A training or validation example labelled with a class index. {@code id} may be null. */
    public static byte[] example(String id, float[] features, int classIndex) {
        ByteBuffer out = start(BinaryLayout.KIND_EXAMPLE, 0, id, features, Integer.BYTES);
        return out.putInt(classIndex).array();
    }

    /** A training or validation example labelled with target values, one per model output. */
    public static byte[] example(String id, float[] features, float[] targets) {
        if (targets.length > BinaryLayout.MAX_LABEL_VALUES) {
            throw new IllegalArgumentException("at most " + BinaryLayout.MAX_LABEL_VALUES + " target values, got "
                    + targets.length);
        }
        ByteBuffer out = start(BinaryLayout.KIND_EXAMPLE, BinaryLayout.FLAG_VALUES_LABEL, id, features,
                Short.BYTES + Float.BYTES * targets.length);
        out.putShort((short) targets.length);
        for (float t : targets) {
            out.putFloat(t);
        }
        return out.array();
    }

    /** A prediction request. {@code id} may be null. */
    public static byte[] request(String id, float[] features) {
        return start(BinaryLayout.KIND_REQUEST, 0, id, features, 0).array();
    }

    /** Allocates the whole record and writes everything up to the label. */
    private static ByteBuffer start(byte kind, int flags, String id, float[] features, int labelBytes) {
        byte[] idBytes = id == null ? new byte[0] : id.getBytes(StandardCharsets.UTF_8);
        if (idBytes.length > BinaryLayout.MAX_ID_BYTES) {
            throw new IllegalArgumentException("the id has " + idBytes.length + " UTF-8 bytes, at most "
                    + BinaryLayout.MAX_ID_BYTES + " fit");
        }
        int size = BinaryLayout.HEADER_BYTES + idBytes.length + Integer.BYTES + Float.BYTES * features.length
                + labelBytes;
        ByteBuffer out = ByteBuffer.allocate(size).order(BinaryLayout.ORDER);
        out.put(BinaryLayout.MAGIC).put(BinaryLayout.VERSION).put(kind)
                .put((byte) (flags | (id == null ? 0 : BinaryLayout.FLAG_HAS_ID)))
                .putShort((short) idBytes.length)
                .put(idBytes)
                .putInt(features.length);
        for (float f : features) {
            out.putFloat(f);
        }
        return out;
    }
}
