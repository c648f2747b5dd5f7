package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.streamingmlp.codec.BinaryRecordEncoder.example;
import static org.streamingmlp.codec.BinaryRecordEncoder.request;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;

class BinaryRecordDecoderTest {

    private static final float[] FEATURES = {0.5f, -1f, 200f};
    private final BinaryRecordDecoder classifier = new BinaryRecordDecoder(3, 4, LossKind.CROSS_ENTROPY, 200);
    private final BinaryRecordDecoder regression = new BinaryRecordDecoder(3, 2, LossKind.MSE, 200);

    @Test
    void theEncoderWritesTheDocumentedBytes() {
        byte[] expected = {
                'M', 'L', 'P', 1,               // magic, version
                1, 0x01, 3, 0,                  // kind example, flags has-id (class label), id length 3
                'e', '-', '1',                  // id
                2, 0, 0, 0,                     // 2 features
                0, 0, (byte) 0x80, 0x3F,        // 1.0f
                0, 0, 0, (byte) 0xC0,           // -2.0f
                3, 0, 0, 0};                    // class 3
        assertArrayEquals(expected, example("e-1", new float[] {1f, -2f}, 3));
        byte[] values = {'M', 'L', 'P', 1, 1, 0x02, 0, 0, 1, 0, 0, 0, 0, 0, (byte) 0x80, 0x3F,
                1, 0, 0, 0, 0, 0x3F};          // no id, 1 feature, label: 1 value 0.5f
        assertArrayEquals(values, example(null, new float[] {1f}, new float[] {0.5f}));
        byte[] request = {'M', 'L', 'P', 1, 2, 0x01, 0, 0, 0, 0, 0, 0};   // empty id, no features
        assertArrayEquals(request, request("", new float[0]));
    }

    @Test
    void roundTripsAClassificationExample() throws Exception {
        LabeledExample e = classifier.decodeExample(example("e-1", FEATURES, 3));
        assertEquals("e-1", e.id());
        assertArrayEquals(FEATURES, e.features());
        assertEquals(new Label.ClassIndex(3), e.label());
    }

    @Test
    void roundTripsTargetValues() throws Exception {
        LabeledExample e = regression.decodeExample(example(null, FEATURES, new float[] {1, -0.25f}));
        assertNull(e.id());
        assertArrayEquals(new float[] {1, -0.25f}, ((Label.Values) e.label()).values());
    }

    @Test
    void roundTripsRequestsWithMissingEmptyAndUnicodeIds() throws Exception {
        assertNull(classifier.decodeRequest(request(null, FEATURES)).id());
        assertEquals("", classifier.decodeRequest(request("", FEATURES)).id());
        PredictionRequest r = classifier.decodeRequest(request("r-\u00e9\u6f22\ud83d\ude00", FEATURES));
        assertEquals("r-\u00e9\u6f22\ud83d\ude00", r.id());
        assertArrayEquals(FEATURES, r.features());
    }

    @Test
    void anExampleAnswersAsARequestButARequestCannotTrain() throws Exception {
        assertArrayEquals(FEATURES, classifier.decodeRequest(example("e", FEATURES, 9)).features());
        assertEquals(RejectReason.MISSING_LABEL, reject(classifier, request("r", FEATURES)));
    }

    @Test
    void contrastiveLabelsAreGroupsAndBceTargetsProbabilities() throws Exception {
        BinaryRecordDecoder contrastive = new BinaryRecordDecoder(3, 2, LossKind.CONTRASTIVE, 200);
        assertEquals(new Label.ClassIndex(40), contrastive.decodeExample(example(null, FEATURES, 40)).label());
        BinaryRecordDecoder bce = new BinaryRecordDecoder(3, 2, LossKind.BCE_WITH_LOGITS, 200);
        assertEquals(RejectReason.INVALID_LABEL, reject(bce, example(null, FEATURES, new float[] {0, 2})));
    }

    @Test
    void rejectsFeaturesAndLabelsWithTheJsonReasons() {
        assertEquals(RejectReason.WRONG_FEATURE_COUNT, reject(classifier, example(null, new float[2], 1)));
        assertEquals(RejectReason.WRONG_FEATURE_COUNT, reject(classifier, request(null, new float[4])));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] badFeature = {1, bad, 3};
            assertEquals(RejectReason.NON_FINITE_FEATURE, reject(classifier, example(null, badFeature, 1)));
            assertEquals(RejectReason.NON_FINITE_FEATURE, rejectRequest(classifier, request(null, badFeature)));
            assertEquals(RejectReason.NON_FINITE_LABEL, reject(regression, example(null, FEATURES, new float[] {0, bad})));
        }
        assertEquals(RejectReason.INVALID_LABEL, reject(classifier, example(null, FEATURES, 4)));
        assertEquals(RejectReason.INVALID_LABEL, reject(classifier, example(null, FEATURES, -1)));
        assertEquals(RejectReason.INVALID_LABEL, reject(classifier, example(null, FEATURES, new float[] {1, 0, 0, 0})));
        assertEquals(RejectReason.INVALID_LABEL, reject(regression, example(null, FEATURES, 1)));
        assertEquals(RejectReason.INVALID_LABEL, reject(regression, example(null, FEATURES, new float[] {1})));
    }

    @Test
    void aHugeFeatureCountIsRejectedBeforeAnythingIsRead() {
        byte[] record = request(null, FEATURES);
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(BinaryLayout.HEADER_BYTES, -1);   // 2^32 - 1
        assertEquals(RejectReason.WRONG_FEATURE_COUNT, rejectRequest(classifier, record));
    }

    @Test
    void rejectsAnIdThatIsNotUtf8() {
        byte[] record = request("ab", FEATURES);
        record[BinaryLayout.HEADER_BYTES] = (byte) 0xC3;   // a lead byte followed by 'b', not a continuation
        assertEquals(RejectReason.INVALID_ID, rejectRequest(classifier, record));
    }

    @ParameterizedTest(name = "byte {0} broken")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void rejectsABadMagicVersionKindOrFlagsAsUndecodable(int offset) {
        byte[] record = example("e", FEATURES, 1);
        record[offset] = (byte) (offset == 5 ? 0x04 : 0x7F);
        assertEquals(RejectReason.UNDECODABLE, reject(classifier, record));
    }

    @Test
    void rejectsInconsistentHeadersAndTrailingBytes() {
        byte[] request = request(null, FEATURES);
        request[5] = BinaryLayout.FLAG_VALUES_LABEL;                     // a request has no label
        assertEquals(RejectReason.UNDECODABLE, rejectRequest(classifier, request));
        byte[] idLengthWithoutFlag = request("abc", FEATURES);
        idLengthWithoutFlag[5] = 0;
        assertEquals(RejectReason.UNDECODABLE, rejectRequest(classifier, idLengthWithoutFlag));
        byte[] example = example("e", FEATURES, 1);
        assertEquals(RejectReason.UNDECODABLE, reject(classifier, Arrays.copyOf(example, example.length + 1)));
    }

    @Test
    void rejectsATruncationAtEveryOffsetAsUndecodable() {
        List<byte[]> records = List.of(
                example("e-\u00e9", FEATURES, 2),
                example(null, FEATURES, new float[] {0.5f, 1}),
                request("r-1", FEATURES));
        for (byte[] record : records) {
            BinaryRecordDecoder decoder = record[5] == BinaryLayout.FLAG_VALUES_LABEL ? regression : classifier;
            for (int length = 0; length < record.length; length++) {
                byte[] prefix = Arrays.copyOf(record, length);
                InvalidRecordException e = assertThrows(InvalidRecordException.class,
                        () -> decoder.decodeExample(prefix), "prefix of " + prefix.length);
                assertEquals(RejectReason.UNDECODABLE, e.reason(), "prefix of " + length + ": " + e.getMessage());
                assertEquals(RejectReason.UNDECODABLE, rejectRequest(decoder, prefix), "request prefix of " + length);
            }
        }
    }

    @Test
    void randomBytesAndBitFlipsNeverEscapeAsAnotherException() {
        Random random = new Random(1);
        byte[] valid = example("e-1", FEATURES, 1);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] value;
            if (trial % 2 == 0) {
                value = new byte[random.nextInt(64)];
                random.nextBytes(value);
                if (value.length >= 4 && random.nextBoolean()) {
                    System.arraycopy(valid, 0, value, 0, 4);       // magic and version, so parsing goes deeper
                }
            } else {
                value = valid.clone();
                value[random.nextInt(value.length)] ^= (byte) (1 << random.nextInt(8));
            }
            for (BinaryRecordDecoder decoder : List.of(classifier, regression)) {
                try {
                    decoder.decodeExample(value);
                    decoder.decodeRequest(value);
                } catch (InvalidRecordException expected) {
                    // a reason is all a bad record may produce
                } catch (RuntimeException e) {
                    fail("trial " + trial + " " + Arrays.toString(value) + " threw " + e);
                }
            }
        }
    }

    @Test
    void rejectsOversizedRecordsAndMissingValues() {
        assertEquals(RejectReason.OVERSIZED, reject(classifier, request(null, new float[60])));
        assertEquals(RejectReason.UNDECODABLE, reject(classifier, null));
    }

    @Test
    void jsonAndBinaryRejectTheSameRecordsForTheSameReasons() {
        ObjectMapper mapper = new ObjectMapper();
        JsonRecordDecoder json = new JsonRecordDecoder(mapper, 3, 2, LossKind.BCE_WITH_LOGITS, 200);
        BinaryRecordDecoder binary = new BinaryRecordDecoder(3, 2, LossKind.BCE_WITH_LOGITS, 200);
        Object[][] cases = {
                {new float[] {1, 2}, new float[] {0, 1}},
                {new float[] {1, 2, 3}, new float[] {0, 1.5f}},
                {new float[] {1, 2, 3}, new float[] {0}},
                {new float[] {1, 2, 3}, new float[] {0, Float.POSITIVE_INFINITY}},
                {new float[] {1, 2, Float.MAX_VALUE}, new float[] {1, 0}}};
        for (Object[] c : cases) {
            float[] features = (float[]) c[0];
            float[] targets = (float[]) c[1];
            String text = "{\"features\":" + Arrays.toString(features) + ",\"label\":"
                    + Arrays.toString(targets).replace("Infinity", "1e999") + "}";
            RejectReason fromJson = rejectOrNull(() -> json.decodeExample(text.getBytes(StandardCharsets.UTF_8)));
            RejectReason fromBinary = rejectOrNull(() -> binary.decodeExample(example(null, features, targets)));
            assertEquals(fromJson, fromBinary, text);
        }
    }

    private interface Decoding {
        Object run() throws InvalidRecordException;
    }

    private static RejectReason rejectOrNull(Decoding decoding) {
        try {
            decoding.run();
            return null;
        } catch (InvalidRecordException e) {
            return e.reason();
        }
    }

    private static RejectReason reject(BinaryRecordDecoder decoder, byte[] value) {
        return assertThrows(InvalidRecordException.class, () -> decoder.decodeExample(value)).reason();
    }

    private static RejectReason rejectRequest(BinaryRecordDecoder decoder, byte[] value) {
        return assertThrows(InvalidRecordException.class, () -> decoder.decodeRequest(value)).reason();
    }
}
