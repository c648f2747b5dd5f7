package org.streamingmlp.nn;

/**
 * The training objective. Class-index losses (CROSS_ENTROPY, FOCAL, CONTRASTIVE) take one integer label per example;
 * value losses (BCE_WITH_LOGITS, MSE, L1, HUBER) take a {@code [N, outputSize]} target.
 */
public enum LossKind {
    CROSS_ENTROPY(true), BCE_WITH_LOGITS(false), FOCAL(true), MSE(false), L1(false), HUBER(false), CONTRASTIVE(true);

    private final boolean classIndexTargets;

    LossKind(boolean classIndexTargets) {
        this.classIndexTargets = classIndexTargets;
    }

    /** True when the targets are class indices, false when they are values shaped like the output. */
    public boolean classIndexTargets() {
        return classIndexTargets;
    }

    /**
     * True for the classification losses (CROSS_ENTROPY, FOCAL): their outputs are class probabilities after a
     * softmax, so an answer names the most probable class and accuracy is defined.
     */
    public boolean classifies() {
        return this == CROSS_ENTROPY || this == FOCAL;
    }

    /** The loss function implementing this kind, with the default constants (focal gamma 2, Huber delta 1, margin 1). */
    public Loss create() {
        return switch (this) {
            case CROSS_ENTROPY -> new CrossEntropyLoss();
            case BCE_WITH_LOGITS -> new BceWithLogitsLoss();
            case FOCAL -> new FocalLoss(2.0);
            case MSE -> new MseLoss();
            case L1 -> new L1Loss();
            case HUBER -> new HuberLoss(1.0);
            case CONTRASTIVE -> new ContrastiveLoss(1.0);
        };
    }
}
