package org.streamingmlp.learner;

/**
 * Accuracy and Cohen's kappa of predicted classes against true classes, over every pair added so far, each pair
 * weighted by {@code alpha^age} (its age in pairs added since). {@code alpha = 1} is the plain count since the start;
 * {@code alpha < 1} is a fading window of about {@code 1 / (1 - alpha)} pairs, as MOA's
 * {@code FadingFactorClassificationPerformanceEvaluator} and Gama et al. (2013), "On evaluating stream learning
 * algorithms", define prequential figures on a drifting stream.
 * <pre>
 *   n = sum w,  p0 = sum w [predicted == actual] / n                       (accuracy)
 *   pc = sum_k (sum w [predicted == k] / n) (sum w [actual == k] / n)     (agreement expected by chance)
 *   kappa = (p0 - pc) / (1 - pc)
 * </pre>
 * Kappa is 0 for a learner no better than chance given the class frequencies (a majority-class guess on a skewed
 * stream scores a high accuracy and kappa 0), 1 for perfect agreement; {@code NaN} while undefined (no pairs yet,
 * or a single class seen and always predicted: {@code pc = 1}). Not thread-safe.
 */
public final class ClassAgreement {

    private final double alpha;
    private final double[] predictedWeight;
    private final double[] actualWeight;
    private double total;
    private double correct;

    /**
     * @param classes number of classes (indices {@code [0, classes)})
     * @param alpha   fading factor in (0, 1]: 1 counts every pair alike
     */
    public ClassAgreement(int classes, double alpha) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("fading factor must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.predictedWeight = new double[classes];
        this.actualWeight = new double[classes];
    }

    /** One prediction and its true class; the older pairs fade by {@code alpha}. */
    public void add(int predicted, int actual) {
        if (predicted < 0 || predicted >= actualWeight.length || actual < 0 || actual >= actualWeight.length) {
            throw new IllegalArgumentException("class out of range [0, " + actualWeight.length + "): predicted "
                    + predicted + ", actual " + actual);
        }
        if (alpha < 1) {
            total *= alpha;
            correct *= alpha;
            for (int k = 0; k < actualWeight.length; k++) {
                predictedWeight[k] *= alpha;
                actualWeight[k] *= alpha;
            }
        }
        total += 1;
        predictedWeight[predicted] += 1;
        actualWeight[actual] += 1;
        if (predicted == actual) {
            correct += 1;
        }
    }

    /** Weighted share of correct predictions; {@code NaN} before the first pair. */
    public double accuracy() {
        return total == 0 ? Double.NaN : correct / total;
    }

    /** Cohen's kappa; {@code NaN} while undefined (see the class comment). */
    public double kappa() {
        if (total == 0) {
            return Double.NaN;
        }
        double chance = 0;
        for (int k = 0; k < actualWeight.length; k++) {
            chance += (predictedWeight[k] / total) * (actualWeight[k] / total);
        }
        if (chance >= 1) {
            return Double.NaN;
        }
        return (accuracy() - chance) / (1 - chance);
    }

    /** Weight of the pairs counted: the number added when {@code alpha = 1}. */
    public double weight() {
        return total;
    }
}
