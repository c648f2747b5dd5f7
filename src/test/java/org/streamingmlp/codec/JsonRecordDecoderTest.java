package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.InvalidRecordException;

class JsonRecordDecoderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonRecordDecoder classifier = new JsonRecordDecoder(mapper, 3, 4, LossKind.CROSS_ENTROPY, 200);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesAClassificationExample() throws Exception {
        LabeledExample e = classifier.decodeExample(bytes("{\"id\":\"e-1\",\"features\":[0.5,-1,2e2],\"label\":3}"));
        assertEquals("e-1", e.id());
        assertArrayEquals(new float[] {0.5f, -1f, 200f}, e.features());
        assertEquals(new Label.ClassIndex(3), e.label());
    }

    @Test
    void decodesARequestWithANumericOrMissingId() throws Exception {
        assertEquals("17", classifier.decodeRequest(bytes("{\"id\":17,\"features\":[1,2,3]}")).id());
        assertNull(classifier.decodeRequest(bytes("{\"features\":[1,2,3]}")).id());
    }

    @Test
    void decodesRegressionLabelsAsNumbersOrArrays() throws Exception {
        JsonRecordDecoder one = new JsonRecordDecoder(mapper, 2, 1, LossKind.MSE, 200);
        Label label = one.decodeExample(bytes("{\"features\":[1,2],\"label\":0.25}")).label();
        assertArrayEquals(new float[] {0.25f}, ((Label.Values) label).values());
        JsonRecordDecoder two = new JsonRecordDecoder(mapper, 2, 2, LossKind.HUBER, 200);
        label = two.decodeExample(bytes("{\"features\":[1,2],\"label\":[1,-1]}")).label();
        assertArrayEquals(new float[] {1f, -1f}, ((Label.Values) label).values());
        assertEquals(RejectReason.INVALID_LABEL, reject(two, "{\"features\":[1,2],\"label\":3}"));
    }

    @Test
    void contrastiveLabelsAreGroupsNotOutputs() throws Exception {
        JsonRecordDecoder contrastive = new JsonRecordDecoder(mapper, 2, 2, LossKind.CONTRASTIVE, 200);
        Label label = contrastive.decodeExample(bytes("{\"features\":[1,2],\"label\":40}")).label();
        assertEquals(new Label.ClassIndex(40), label);
    }

    @Test
    void bceTargetsMustBeProbabilities() {
        JsonRecordDecoder bce = new JsonRecordDecoder(mapper, 2, 2, LossKind.BCE_WITH_LOGITS, 200);
        assertEquals(RejectReason.INVALID_LABEL, reject(bce, "{\"features\":[1,2],\"label\":[0,2]}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{not json|UNDECODABLE",
            "[1,2,3]|UNDECODABLE",
            "\"text\"|UNDECODABLE",
            "{\"label\":1}|MISSING_FEATURES",
            "{\"features\":\"1,2,3\",\"label\":1}|MISSING_FEATURES",
            "{\"features\":[1,2],\"label\":1}|WRONG_FEATURE_COUNT",
            "{\"features\":[1,2,3,4],\"label\":1}|WRONG_FEATURE_COUNT",
            "{\"features\":[1,null,3],\"label\":1}|NON_NUMERIC_FEATURE",
            "{\"features\":[1,\"2\",3],\"label\":1}|NON_NUMERIC_FEATURE",
            "{\"features\":[1,1e999,3],\"label\":1}|NON_FINITE_FEATURE",
            "{\"features\":[1,1e39,3],\"label\":1}|NON_FINITE_FEATURE",
            "{\"features\":[1,2,3]}|MISSING_LABEL",
            "{\"features\":[1,2,3],\"label\":4}|INVALID_LABEL",
            "{\"features\":[1,2,3],\"label\":-1}|INVALID_LABEL",
            "{\"features\":[1,2,3],\"label\":1.5}|INVALID_LABEL",
            "{\"features\":[1,2,3],\"label\":\"cat\"}|INVALID_LABEL",
            "{\"id\":[1],\"features\":[1,2,3],\"label\":1}|INVALID_ID",
    })
    void rejectsBadRecordsWithTheirReason(String json, RejectReason reason) {
        assertEquals(reason, reject(classifier, json));
    }

    @Test
    void rejectsOversizedRecordsBeforeParsing() {
        String big = "{\"features\":[1,2,3],\"label\":1,\"pad\":\"" + "x".repeat(300) + "\"}";
        assertEquals(RejectReason.OVERSIZED, reject(classifier, big));
    }

    @Test
    void rejectsARecordWithoutValue() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> classifier.decodeExample(null));
        assertEquals(RejectReason.UNDECODABLE, e.reason());
    }

    @Test
    void reasonCodesAreKebabCase() {
        assertEquals("wrong-feature-count", RejectReason.WRONG_FEATURE_COUNT.code());
    }

    private static RejectReason reject(JsonRecordDecoder decoder, String json) {
        return assertThrows(InvalidRecordException.class, () -> decoder.decodeExample(bytes(json))).reason();
    }
}
