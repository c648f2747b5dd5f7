package org.streamingmlp.codec;

import java.util.function.Consumer;
import org.streamingmlp.record.FeatureSchema;
import org.streamingmlp.record.ClassNames;

/**
 * What input records may name: a {@link FeatureSchema} (null: features are a plain array of
 * {@code mlp.model.input-size} numbers) and {@link ClassNames} (null: labels are class indices only), plus whom to
 * tell when a record that was accepted used a category the schema does not know (the field's name).
 */
public record RecordSchema(FeatureSchema features, ClassNames classNames, Consumer<String> unseenCategory) {

    /** No schema and no class names: the array layout. */
    public static final RecordSchema NONE = new RecordSchema(null, null, field -> { });

    public RecordSchema {
        if (unseenCategory == null) {
            throw new IllegalArgumentException("unseenCategory must not be null");
        }
    }
}
