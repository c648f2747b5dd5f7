package org.streamingmlp.optim;

/**
 * AdamW hyperparameters (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019).
 *
 * @param learningRate        peak learning rate (mlp.optimizer.learning-rate), finite and > 0, default 1e-3
 * @param beta1               first-moment decay (mlp.optimizer.beta1), in [0, 1), default 0.9
 * @param beta2               second-moment decay (mlp.optimizer.beta2), in [0, 1), default 0.999
 * @param eps                 denominator term (mlp.optimizer.eps), finite and > 0, default 1e-8
 * @param weightDecay         decoupled decay factor (mlp.optimizer.weight-decay), finite and >= 0, default 0.01
 * @param decayBiasesAndNorms whether biases and norm parameters are decayed too
 *                            (mlp.optimizer.decay-biases-and-norms), default true (PyTorch's behaviour)
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                          boolean decayBiasesAndNorms) {

    public AdamWConfig {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("mlp.optimizer.learning-rate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0)) {
            throw new IllegalArgumentException("mlp.optimizer.beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("mlp.optimizer.beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0.0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("mlp.optimizer.eps must be finite and > 0, got " + eps);
        }
        if (!(weightDecay >= 0.0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("mlp.optimizer.weight-decay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 on every parameter. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, true);
    }
}
