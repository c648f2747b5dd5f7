package org.streamingmlp.trainer;

/**
 * Prequential figures of a classifier, per example (each predicted by the model before it learned it), for a
 * {@link TrainingReport}; {@code NaN} ({@code null} in JSON) before the first example and for models that do not
 * classify.
 *
 * @param prequentialAccuracy       share predicted right since the trainer started
 * @param prequentialKappa          Cohen's kappa since the trainer started
 * @param fadingPrequentialAccuracy accuracy with older examples fading by {@code mlp.metrics.fading-factor} each
 * @param fadingPrequentialKappa    kappa with the same fading
 */
public record PrequentialFigures(double prequentialAccuracy, double prequentialKappa,
                                 double fadingPrequentialAccuracy, double fadingPrequentialKappa) {

    static final PrequentialFigures NONE = new PrequentialFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
