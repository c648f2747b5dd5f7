package org.streamingmlp.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;

/**
 * Decodes records in the binary layout ({@link BinaryLayout}, content type {@value RecordFormats#BINARY}).
 * Anything that does not follow the layout exactly (wrong magic or version, unknown kind or flags, truncation,
 * trailing bytes) is {@code undecodable}; an id that is not UTF-8 is {@code invalid-id}; features and labels go
 * through the same {@link RecordValidator} as JSON. The feature count is checked before the features are read.
 * <p>
 * As with JSON, a prediction request without label cannot train ({@code missing-label}), and a labelled example
 * sent as a prediction request is answered, its label ignored.
 */
public final class BinaryRecordDecoder implements RecordDecoder {

    private final RecordValidator validator;

    public BinaryRecordDecoder(int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this(new RecordValidator(new RecordRules(inputSize, outputSize, loss, maxBytes)));
    }

    BinaryRecordDecoder(RecordValidator validator) {
        this.validator = validator;
    }

    @Override
    public LabeledExample decodeExample(byte[] value) throws InvalidRecordException {
        Record record = read(value);
        if (record.kind == BinaryLayout.KIND_REQUEST) {
            throw new InvalidRecordException(RejectReason.MISSING_LABEL,
                    "a prediction request (kind 2) has no label to learn from");
        }
        return new LabeledExample(record.id, record.features, record.targets != null
                ? validator.values(record.targets)
                : validator.classIndex(record.classIndex));
    }

    @Override
    public PredictionRequest decodeRequest(byte[] value) throws InvalidRecordException {
        Record record = read(value);
        return new PredictionRequest(record.id, record.features);
    }

    /** The fields of one record, its features validated, its label (if any) only read. */
    private record Record(byte kind, String id, float[] features, int classIndex, float[] targets) {
    }

    private Record read(byte[] value) throws InvalidRecordException {
        validator.checkValue(value);
        ByteBuffer in = ByteBuffer.wrap(value).order(BinaryLayout.ORDER);
        need(in, BinaryLayout.HEADER_BYTES, "the header");
        byte[] magic = new byte[BinaryLayout.MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, BinaryLayout.MAGIC)) {
            throw undecodable("the value does not start with the magic bytes \"MLP\"");
        }
        byte version = in.get();
        if (version != BinaryLayout.VERSION) {
            throw undecodable("layout version " + Byte.toUnsignedInt(version) + ", this decoder reads version "
                    + BinaryLayout.VERSION);
        }
        byte kind = in.get();
        if (kind != BinaryLayout.KIND_EXAMPLE && kind != BinaryLayout.KIND_REQUEST) {
            throw undecodable("unknown record kind " + Byte.toUnsignedInt(kind) + " (1 example, 2 request)");
        }
        int flags = Byte.toUnsignedInt(in.get());
        int known = BinaryLayout.FLAG_HAS_ID | (kind == BinaryLayout.KIND_EXAMPLE ? BinaryLayout.FLAG_VALUES_LABEL : 0);
        if ((flags & ~known) != 0) {
            throw undecodable("flags 0x" + Integer.toHexString(flags) + " set bits a record of kind " + kind
                    + " does not define");
        }
        int idLength = Short.toUnsignedInt(in.getShort());
        boolean hasId = (flags & BinaryLayout.FLAG_HAS_ID) != 0;
        if (!hasId && idLength != 0) {
            throw undecodable("id length " + idLength + " without the has-id flag");
        }
        need(in, idLength, "the id");
        String id = hasId ? utf8(in, idLength) : null;

        need(in, Integer.BYTES, "the feature count");
        long featureCount = Integer.toUnsignedLong(in.getInt());
        validator.checkFeatureCount(featureCount);
        float[] features = floats(in, (int) featureCount, "features");

        int classIndex = 0;
        float[] targets = null;
        if (kind == BinaryLayout.KIND_EXAMPLE) {
            if ((flags & BinaryLayout.FLAG_VALUES_LABEL) != 0) {
                need(in, Short.BYTES, "the label value count");
                targets = floats(in, Short.toUnsignedInt(in.getShort()), "label values");
            } else {
                need(in, Integer.BYTES, "the class index");
                classIndex = in.getInt();
            }
        }
        if (in.hasRemaining()) {
            throw undecodable(in.remaining() + " bytes after the end of the record");
        }
        return new Record(kind, id, validator.features(features), classIndex, targets);
    }

    private static float[] floats(ByteBuffer in, int count, String what) throws InvalidRecordException {
        need(in, (long) Float.BYTES * count, count + " " + what);
        float[] out = new float[count];
        in.asFloatBuffer().get(out);
        in.position(in.position() + Float.BYTES * count);
        return out;
    }

    private static String utf8(ByteBuffer in, int length) throws InvalidRecordException {
        // ids are mostly ASCII ("r-5"), which is valid UTF-8 as it is: no decoder to build for them
        byte[] array = in.array();
        int start = in.arrayOffset() + in.position();
        boolean ascii = true;
        for (int i = start; i < start + length; i++) {
            ascii &= array[i] >= 0;
        }
        if (ascii) {
            in.position(in.position() + length);
            return new String(array, start, length, StandardCharsets.US_ASCII);
        }
        ByteBuffer bytes = in.slice().limit(length);
        in.position(in.position() + length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException(RejectReason.INVALID_ID, "the id is not valid UTF-8");
        }
    }

    private static void need(ByteBuffer in, long bytes, String what) throws InvalidRecordException {
        if (in.remaining() < bytes) {
            throw undecodable("truncated: " + what + " need " + bytes + " bytes at offset " + in.position()
                    + ", " + in.remaining() + " left");
        }
    }

    private static InvalidRecordException undecodable(String detail) {
        return new InvalidRecordException(RejectReason.UNDECODABLE, detail);
    }
}
