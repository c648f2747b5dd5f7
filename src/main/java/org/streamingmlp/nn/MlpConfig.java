package org.streamingmlp.nn;

import java.util.List;
import java.util.Objects;

/**
 * Architecture of the multilayer perceptron: per hidden layer {@code Linear -> [norm] -> activation -> Dropout(p)},
 * then a Linear output layer (no activation; the loss or the prediction head applies one).
 *
 * @param inputSize     number of input features (mlp.model.input-size), at least 1
 * @param hiddenSizes   widths of the hidden layers (mlp.model.hidden-sizes), each at least 1; may be empty
 * @param outputSize    number of outputs (mlp.model.output-size), at least 1
 * @param activation    hidden activation (mlp.model.activation), default RELU
 * @param leakySlope    negative slope of LEAKY_RELU (mlp.model.leaky-slope), finite and in [0, 1), default 0.01
 * @param dropout       drop probability after each hidden activation (mlp.model.dropout), in [0, 1), default 0.2
 * @param normalization normalisation after each hidden Linear (mlp.model.normalization), default NONE
 */
public record MlpConfig(int inputSize, List<Integer> hiddenSizes, int outputSize, Activation activation,
                        double leakySlope, double dropout, Normalization normalization) {

    public MlpConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("mlp.model.input-size must be >= 1, got " + inputSize);
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

    /** ReLU, leaky slope 0.01, dropout 0.2, no normalisation. */
    public static MlpConfig of(int inputSize, List<Integer> hidden, int outputSize) {
        return new MlpConfig(inputSize, hidden, outputSize, Activation.RELU, 0.01, 0.2, Normalization.NONE);
    }
}
