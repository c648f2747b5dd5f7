package org.streamingmlp.trainer;

/**
 * The last evaluation of the model on the validation window; {@code NaN} before the window held enough examples.
 *
 * @param validationLoss     loss of the model on the validation window
 * @param validationAccuracy accuracy on the validation window (classification)
 * @param validationExamples examples in the window at that evaluation
 */
public record ValidationFigures(double validationLoss, double validationAccuracy, int validationExamples) {

    static final ValidationFigures NONE = new ValidationFigures(Double.NaN, Double.NaN, 0);
}
