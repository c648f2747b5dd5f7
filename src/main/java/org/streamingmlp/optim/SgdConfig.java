package org.streamingmlp.optim;

/**
 * SGD with momentum (PyTorch convention, dampening 0, not Nesterov).
 *
 * @param learningRate learning rate (mlp.optimizer.learning-rate), finite and > 0
 * @param momentum     momentum factor (mlp.optimizer.momentum), in [0, 1)
 * @param weightDecay  L2 penalty added to the gradient (mlp.optimizer.weight-decay), finite and >= 0
 */
public record SgdConfig(double learningRate, double momentum, double weightDecay) {
    public SgdConfig {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("mlp.optimizer.learning-rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("mlp.optimizer.momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0.0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("mlp.optimizer.weight-decay must be finite and >= 0, got " + weightDecay);
        }
    }
}
