package org.streamingmlp.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.ClassNames;
import org.streamingmlp.record.FeatureSchema;
import org.streamingmlp.codec.RecordSchema;

/**
 * Turns {@code mlp.features.*} and {@code mlp.model.class-names} into what the record decoders and the model need.
 * A bad setting fails startup with a message naming its key.
 */
public final class SchemaSettings {

    private SchemaSettings() {
    }

    /** The feature schema, or null when no field is named (features are then a plain array). */
    public static FeatureSchema featureSchema(ServiceConfig config) {
        ServiceConfig.Features f = config.features();
        List<String> numeric = f.numeric().orElse(List.of());
        if (numeric.isEmpty() && f.categorical().isEmpty()) {
            return null;
        }
        Map<String, FeatureSchema.Categorical> categorical = new LinkedHashMap<>();
        f.categorical().forEach((name, c) -> categorical.put(name,
                new FeatureSchema.Categorical(name, c.values(), c.dimension())));
        FeatureSchema schema = new FeatureSchema(numeric, categorical);
        if (config.model().inputSize() != numeric.size()) {
            throw new IllegalArgumentException("mlp.model.input-size (" + config.model().inputSize()
                    + ") must equal the number of mlp.features.numeric fields (" + numeric.size() + ": " + numeric
                    + ")");
        }
        return schema;
    }

    /** The categorical fields the model embeds (none without a schema). */
    public static List<CategoricalField> categoricalFields(ServiceConfig config) {
        FeatureSchema schema = featureSchema(config);
        return schema == null ? List.of() : schema.categoricalFields();
    }

    /** The class names, or null when {@code mlp.model.class-names} is not set. */
    public static ClassNames classNames(ServiceConfig config, LossKind loss) {
        List<String> names = config.model().classNames().orElse(null);
        if (names == null) {
            return null;
        }
        if (!loss.classifies()) {
            throw new IllegalArgumentException("mlp.model.class-names needs a classification loss "
                    + "(mlp.training.loss cross-entropy or focal), got " + loss);
        }
        return new ClassNames(names, config.model().outputSize());
    }

    /** Everything the decoders need; {@code unseenCategory} hears the field name of every unseen category. */
    public static RecordSchema recordSchema(ServiceConfig config, LossKind loss, Consumer<String> unseenCategory) {
        return new RecordSchema(featureSchema(config), classNames(config, loss), unseenCategory);
    }
}
