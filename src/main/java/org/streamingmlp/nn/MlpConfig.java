package org.streamingmlp.nn;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Architecture of the multilayer perceptron: per hidden layer {@code Linear -> [norm] -> activation -> Dropout(p)},
 * then a Linear output layer (no activation; the loss or the prediction head applies one).
 *
 * @param inputSize     number of numeric input features (mlp.model.input-size), at least 1; may be 0 when there
 *                      are categorical fields
 * @param hiddenSizes   widths of the hidden layers (mlp.model.hidden-sizes), each at least 1; may be empty
 * @param outputSize    number of outputs (mlp.model.output-size), at least 1
 * @param activation    hidden activation (mlp.model.activation), default RELU
 * @param leakySlope    negative slope of LEAKY_RELU (mlp.model.leaky-slope), finite and in [0, 1), default 0.01
 * @param dropout       drop probability after each hidden activation (mlp.model.dropout), in [0, 1), default 0.2
 * @param normalization normalisation after each hidden Linear (mlp.model.normalization), default NONE
 * @param categoricalFields categorical input fields (mlp.features.categorical.*), each embedded by its own table
 *                      and concatenated after the numeric features; default none. Names must be unique.
 */
public record MlpConfig(int inputSize, List<Integer> hiddenSizes, int outputSize, Activation activation,
                        double leakySlope, double dropout, Normalization normalization,
                        List<CategoricalField> categoricalFields) {

    /** A model of numeric features only. */
    public MlpConfig(int inputSize, List<Integer> hiddenSizes, int outputSize, Activation activation,
                     double leakySlope, double dropout, Normalization normalization) {
        this(inputSize, hiddenSizes, outputSize, activation, leakySlope, dropout, normalization, List.of());
    }

    public MlpConfig {
        Objects.requireNonNull(categoricalFields, "mlp.features.categorical must not be null");
        categoricalFields = List.copyOf(categoricalFields);
        Set<String> names = new HashSet<>();
        for (CategoricalField f : categoricalFields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("mlp.features.categorical." + f.name() + " is declared twice");
            }
        }
        if (inputSize < (categoricalFields.isEmpty() ? 1 : 0)) {
            throw new IllegalArgumentException("mlp.model.input-size must be >= "
                    + (categoricalFields.isEmpty() ? "1" : "0 with categorical fields") + ", got " + inputSize);
        }
        Objects.requireNonNull(hiddenSizes, "mlp.model.hidden-sizes must not be null");
        hiddenSizes = List.copyOf(hiddenSizes);
        for (Integer h : hiddenSizes) {
            if (h == null || h < 1) {
                throw new IllegalArgumentException("mlp.model.hidden-sizes must all be >= 1, got " + hiddenSizes);
            }
        }
        if (outputSize < 1) {
            throw new IllegalArgumentException("mlp.model.output-size must be >= 1, got " + outputSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("mlp.model.activation must not be null");
        }
        if (!(leakySlope >= 0.0 && leakySlope < 1.0)) {
            throw new IllegalArgumentException("mlp.model.leaky-slope must be in [0, 1), got " + leakySlope);
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException("mlp.model.dropout must be in [0, 1), got " + dropout);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("mlp.model.normalization must not be null");
        }
    }

    /** Columns of the model's input array: the numeric features, then one category index per categorical field. */
    public int inputColumns() {
        return inputSize + categoricalFields.size();
    }

    /** Inputs of the first Linear layer: the numeric features plus every categorical field's embedding width. */
    public int linearInputSize() {
        int width = inputSize;
        for (CategoricalField f : categoricalFields) {
            width += f.dimension();
        }
        return width;
    }

    /** ReLU, leaky slope 0.01, dropout 0.2, no normalisation. */
    public static MlpConfig of(int inputSize, List<Integer> hidden, int outputSize) {
        return new MlpConfig(inputSize, hidden, outputSize, Activation.RELU, 0.01, 0.2, Normalization.NONE);
    }
}
