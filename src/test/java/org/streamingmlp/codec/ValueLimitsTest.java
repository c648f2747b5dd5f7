package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.RejectReason;

/** Values that are finite floats and still poison a model are refused with their reason, never clamped. */
class ValueLimitsTest {

    private final RecordFormats formats = new RecordFormats(new ObjectMapper(),
            new RecordRules(3, 4, LossKind.CROSS_ENTROPY, 1000, RecordSchema.NONE, new ValueLimits(100, 5)));

    @Test
    void aHugeButFiniteFeatureIsRefusedInBothFormats() {
        assertReason(RejectReason.FEATURE_OUT_OF_RANGE,
                () -> json().decodeExample(utf8("{\"features\":[1,3e38,0],\"label\":1}")));
        assertReason(RejectReason.FEATURE_OUT_OF_RANGE,
                () -> json().decodeRequest(utf8("{\"features\":[1,-100.5,0]}")));
        assertReason(RejectReason.FEATURE_OUT_OF_RANGE, () -> binary()
                .decodeExample(BinaryRecordEncoder.example("b", new float[] {0, 0, 3e38f}, 1)));
        assertReason(RejectReason.FEATURE_OUT_OF_RANGE, () -> binary()
                .decodeRequest(BinaryRecordEncoder.request("b", new float[] {-101, 0, 0})));
    }

    /**
     * The first non-finite feature is named before any out-of-range one, wherever each is; then the first out of
     * range; a limit that is not a float (0.1) is compared as the double it is, in both formats.
     */
    @Test
    void theFirstBadFeatureIsNamedNonFiniteBeforeOutOfRange() {
        RecordFormats tenth = new RecordFormats(new ObjectMapper(),
                new RecordRules(3, 4, LossKind.CROSS_ENTROPY, 1000, RecordSchema.NONE, new ValueLimits(0.1, 5)));
        InvalidRecordException e = assertReason(RejectReason.NON_FINITE_FEATURE, () -> binary()
                .decodeRequest(BinaryRecordEncoder.request("b", new float[] {1000, 0, Float.NaN})));
        assertEquals("feature 2 is not a finite float: NaN", e.getMessage());
        e = assertReason(RejectReason.NON_FINITE_FEATURE,
                () -> json().decodeRequest(utf8("{\"features\":[-1000,1e39,0]}")));
        assertEquals("feature 1 is not a finite float: Infinity", e.getMessage());
        e = assertReason(RejectReason.FEATURE_OUT_OF_RANGE,
                () -> json().decodeRequest(utf8("{\"features\":[0,100,-101]}")));
        assertEquals("feature 2 = -101.0 is beyond mlp.records.max-feature-magnitude=100.0", e.getMessage());
        e = assertReason(RejectReason.FEATURE_OUT_OF_RANGE,
                () -> tenth.json().decodeRequest(utf8("{\"features\":[0.1,0,0]}")));   // 0.1f > 0.1
        assertEquals("feature 0 = 0.1 is beyond mlp.records.max-feature-magnitude=0.1", e.getMessage());
        assertReason(RejectReason.FEATURE_OUT_OF_RANGE, () -> tenth.decoderFor(RecordFormats.BINARY)
                .decodeRequest(BinaryRecordEncoder.request("b", new float[] {0, -0.1f, 0})));
    }

    @Test
    void featuresAtTheLimitPass() throws Exception {
        assertEquals(-100f, json().decodeRequest(utf8("{\"features\":[100,-100,0]}")).features()[1]);
    }

    @Test
    void aWeightAboveTheLimitIsRefusedAndOneAtItPasses() throws Exception {
        InvalidRecordException e = assertReason(RejectReason.WEIGHT_OUT_OF_RANGE,
                () -> json().decodeExample(utf8("{\"features\":[1,2,3],\"label\":1,\"weight\":1e30}")));
        assertTrue(e.getMessage().contains("mlp.records.max-weight"), e.getMessage());
        assertEquals(5f, json().decodeExample(utf8("{\"features\":[1,2,3],\"label\":1,\"weight\":5}")).weight());
    }

    @Test
    void theClassIndexMustBeBelowTheOutputSize() throws Exception {
        assertReason(RejectReason.INVALID_LABEL, () -> json().decodeExample(utf8("{\"features\":[1,2,3],\"label\":4}")));
        assertReason(RejectReason.INVALID_LABEL, () -> binary()
                .decodeExample(BinaryRecordEncoder.example("b", new float[] {1, 2, 3}, 4)));
        assertEquals(new Label.ClassIndex(3),
                json().decodeExample(utf8("{\"features\":[1,2,3],\"label\":3}")).label());
    }

    @Test
    void aLimitThatIsNotAFinitePositiveNumberNamesItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ValueLimits(Double.POSITIVE_INFINITY, 1));
        assertTrue(e.getMessage().contains("mlp.records.max-feature-magnitude"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ValueLimits(1, 0));
        assertTrue(e.getMessage().contains("mlp.records.max-weight"), e.getMessage());
    }

    private RecordDecoder json() throws InvalidRecordException {
        return formats.decoderFor(RecordFormats.JSON);
    }

    private RecordDecoder binary() throws InvalidRecordException {
        return formats.decoderFor(RecordFormats.BINARY);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InvalidRecordException assertReason(RejectReason reason,
                                                       org.junit.jupiter.api.function.Executable decode) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, decode);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
