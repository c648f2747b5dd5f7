package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.FeatureSchema;
import org.streamingmlp.record.ClassNames;

/** Named features, class names and weights in JSON records. */
class FeatureSchemaDecodingTest {

    private final List<String> unseen = new ArrayList<>();
    private final FeatureSchema schema = new FeatureSchema(List.of("age", "income"), Map.of(
            "color", new FeatureSchema.Categorical("color", List.of("red", "green", "blue"), 4),
            "city", new FeatureSchema.Categorical("city", List.of("paris", "oslo"), 2)));
    private final RecordSchema recordSchema = new RecordSchema(schema,
            new ClassNames(List.of("cat", "dog", "bird"), 3), unseen::add);
    private final RecordFormats formats = new RecordFormats(new ObjectMapper(),
            new RecordRules(2, 3, LossKind.CROSS_ENTROPY, 1000, recordSchema));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private LabeledExample example(String json) throws InvalidRecordException {
        return formats.json().decodeExample(bytes(json));
    }

    @Test
    void decodesNamedFieldsCategoriesClassNamesAndWeight() throws Exception {
        LabeledExample e = example("{\"id\":\"e-1\",\"features\":{\"color\":\"green\",\"age\":31,\"income\":2.5,"
                + "\"city\":\"oslo\",\"extra\":\"ignored\"},\"label\":\"dog\",\"weight\":2}");
        assertArrayEquals(new float[] {31f, 2.5f}, e.features());
        assertArrayEquals(new int[] {2, 2}, e.categories(), "city (alphabetically first) oslo = 2, color green = 2");
        assertEquals(new Label.ClassIndex(1), e.label());
        assertEquals(2f, e.weight());
        assertTrue(unseen.isEmpty());
        assertEquals(1f, example("{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},"
                + "\"label\":2}").weight(), "an integer label and the default weight");
    }

    @Test
    void unseenCategoriesMapToTheReservedIndexAndAreReportedOnlyForAcceptedRecords() throws Exception {
        PredictionRequest r = formats.json().decodeRequest(bytes(
                "{\"features\":{\"age\":1,\"income\":2,\"color\":\"purple\",\"city\":\"paris\"}}"));
        assertArrayEquals(new int[] {1, 0}, r.categories());
        assertEquals(List.of("color"), unseen);
        assertThrows(InvalidRecordException.class, () -> example(
                "{\"features\":{\"age\":1,\"income\":2,\"color\":\"purple\",\"city\":\"rome\"},\"label\":\"cow\"}"));
        assertEquals(List.of("color"), unseen, "a rejected record counts no unseen category");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"features\":{\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1}|missing-feature",
            "{\"features\":{\"age\":1,\"income\":2,\"city\":\"paris\"},\"label\":1}|missing-feature",
            "{\"features\":{\"age\":null,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1}|missing-feature",
            "{\"features\":{\"age\":\"x\",\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1}|non-numeric-feature",
            "{\"features\":{\"age\":1e999,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1}|non-finite-feature",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":3,\"city\":\"paris\"},\"label\":1}|invalid-category",
            "{\"features\":[1,2],\"label\":1}|missing-features",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":\"cow\"}|unknown-label",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":5}|invalid-label",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1,\"weight\":-1}|invalid-weight",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1,\"weight\":\"2\"}|invalid-weight",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":\"red\",\"city\":\"paris\"},\"label\":1,\"weight\":1e999}|invalid-weight",
    })
    void rejectsWithTheReason(String json, String reason) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> example(json));
        assertEquals(reason, e.reason().code(), e.getMessage());
    }

    @Test
    void binaryRecordsCannotCarryCategoricalFields() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> formats.decoderFor(RecordFormats.BINARY));
        assertEquals("unsupported-format", e.reason().code());
    }

    @Test
    void aNumericOnlySchemaAlsoTakesArraysAndBinaryInSchemaOrder() throws Exception {
        RecordFormats numeric = new RecordFormats(new ObjectMapper(), new RecordRules(2, 3, LossKind.CROSS_ENTROPY,
                1000, new RecordSchema(new FeatureSchema(List.of("a", "b"), Map.of()), null, f -> { })));
        assertArrayEquals(new float[] {1f, 2f},
                numeric.json().decodeExample(bytes("{\"features\":[1,2],\"label\":0}")).features());
        assertArrayEquals(new float[] {2f, 1f},
                numeric.json().decodeExample(bytes("{\"features\":{\"b\":1,\"a\":2},\"label\":0}")).features());
        numeric.decoderFor(RecordFormats.BINARY);
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> numeric.json().decodeExample(bytes("{\"features\":[1,2],\"label\":\"dog\"}")));
        assertEquals("invalid-label", e.reason().code(), "a class name without mlp.model.class-names");
    }

    @Test
    void withoutASchemaNamedFieldsAreNotFeatures() {
        RecordFormats plain = new RecordFormats(new ObjectMapper(), 2, 3, LossKind.CROSS_ENTROPY, 1000);
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> plain.json().decodeExample(bytes("{\"features\":{\"a\":1,\"b\":2},\"label\":0}")));
        assertEquals("missing-features", e.reason().code());
    }

    @Test
    void contrastiveExamplesTakeNoWeight() {
        RecordFormats contrastive = new RecordFormats(new ObjectMapper(), 2, 3, LossKind.CONTRASTIVE, 1000);
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> contrastive.json().decodeExample(bytes("{\"features\":[1,2],\"label\":0,\"weight\":2}")));
        assertEquals("invalid-weight", e.reason().code());
    }

    @Test
    void schemaAndClassNamesAreValidatedNamingTheKey() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new FeatureSchema(
                List.of(), Map.of("c", new FeatureSchema.Categorical("c", List.of("a", "a"), 2))));
        assertTrue(twice.getMessage().contains("mlp.features.categorical.c.values"), twice.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> new FeatureSchema(
                List.of("c"), Map.of("c", new FeatureSchema.Categorical("c", List.of("a"), 2))));
        assertTrue(clash.getMessage().contains("mlp.features.categorical.c"), clash.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new ClassNames(List.of("cat", "dog"), 3));
        assertTrue(size.getMessage().contains("mlp.model.class-names"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassNames(List.of("cat", "cat", "dog"), 3));
    }
}
