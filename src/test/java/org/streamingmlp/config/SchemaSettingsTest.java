package org.streamingmlp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.FeatureSchema;

/** {@code mlp.features.*} and {@code mlp.model.class-names} as Quarkus reads them. */
class SchemaSettingsTest {

    @Test
    void noSchemaByDefault() {
        ServiceConfig config = ServiceConfigTest.read(Map.of());
        assertNull(SchemaSettings.featureSchema(config));
        assertNull(SchemaSettings.classNames(config, LossKind.CROSS_ENTROPY));
        assertEquals(List.of(), LearnerSettings.trainingConfig(config).model().categoricalFields());
    }

    @Test
    void readsTheSchemaIntoTheModel() {
        ServiceConfig config = ServiceConfigTest.read(Map.of(
                "mlp.model.input-size", "2",
                "mlp.features.numeric", "age,income",
                "mlp.features.categorical.color.values", "red,green,blue",
                "mlp.features.categorical.color.dimension", "5",
                "mlp.features.categorical.city.values", "paris,oslo",
                "mlp.model.class-names", "cat,dog,bird"));
        FeatureSchema schema = SchemaSettings.featureSchema(config);
        assertEquals(List.of("age", "income"), schema.numeric());
        TrainingConfig training = LearnerSettings.trainingConfig(config);
        assertEquals(List.of(new CategoricalField("city", 2, 4), new CategoricalField("color", 3, 5)),
                training.model().categoricalFields(), "alphabetical order, default dimension 4");
        assertEquals(2 + 4 + 5, training.model().linearInputSize());
        assertEquals(1, SchemaSettings.classNames(config, LossKind.CROSS_ENTROPY).indexOf("dog"));
    }

    @Test
    void badSettingsFailNamingTheKey() {
        assertMessage(Map.of("mlp.features.numeric", "age,income"), "mlp.model.input-size");
        assertMessage(Map.of("mlp.model.input-size", "0", "mlp.features.categorical.color.values", "red",
                "mlp.features.categorical.color.dimension", "0"), "mlp.features.categorical.color.dimension");
        assertMessage(Map.of("mlp.model.class-names", "cat,dog"), "mlp.model.class-names");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemaSettings.classNames(
                ServiceConfigTest.read(Map.of("mlp.model.class-names", "a,b,c")), LossKind.MSE));
        assertTrue(e.getMessage().contains("mlp.model.class-names"), e.getMessage());
    }

    private static void assertMessage(Map<String, String> properties, String key) {
        ServiceConfig config = ServiceConfigTest.read(properties);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            LearnerSettings.trainingConfig(config);
            SchemaSettings.recordSchema(config, LossKind.CROSS_ENTROPY, f -> { });
        });
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
