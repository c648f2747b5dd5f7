package org.streamingmlp.codec;

import org.streamingmlp.nn.LossKind;

/**
 * What a valid input record is, whatever its format.
 *
 * @param inputSize  numeric features per record ({@code mlp.model.input-size})
 * @param outputSize model outputs ({@code mlp.model.output-size}): classes, or target values per label
 * @param loss       the loss, which says what a label is ({@code mlp.training.loss})
 * @param maxBytes   larger values are {@code oversized} ({@code mlp.records.max-bytes})
 * @param schema     named features and class names, if configured
 * @param limits     bounds on values that are finite floats yet poison a model ({@code mlp.records.max-*})
 */
public record RecordRules(int inputSize, int outputSize, LossKind loss, int maxBytes, RecordSchema schema,
                          ValueLimits limits) {

    /** Features as a plain array, labels as class indices or values, the default value limits. */
    public RecordRules(int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this(inputSize, outputSize, loss, maxBytes, RecordSchema.NONE);
    }

    /** The default value limits. */
    public RecordRules(int inputSize, int outputSize, LossKind loss, int maxBytes, RecordSchema schema) {
        this(inputSize, outputSize, loss, maxBytes, schema, ValueLimits.DEFAULT);
    }
}
