package org.streamingmlp.optim;

import org.streamingmlp.nn.NumericBuffer;

/**
 * SGD with momentum ({@code torch.optim.SGD}, dampening 0):
 * <pre>
 *   g = g + wd*p ;  buf = (first step) ? g : momentum*buf + g ;  p = p - lr*buf
 * </pre>
 */
public final class Sgd {
    private final SgdConfig config;
    private final double[] buffer;
    private long t;

    public Sgd(SgdConfig config, int size) {
        this.config = config;
        this.buffer = new double[size];
    }

    public long stepCount() {
        return t;
    }

    /** One update; {@code lr} is the scheduled learning rate for this step. */
    public void step(NumericBuffer params, NumericBuffer grads, double lr) {
        double mu = config.momentum();
        double wd = config.weightDecay();
        for (int i = 0, n = buffer.length; i < n; i++) {
            double p = params.get(i);
            double g = grads.get(i) + wd * p;
            double b = t == 0 ? g : mu * buffer[i] + g;
            buffer[i] = b;
            params.set(i, p - lr * b);
        }
        t++;
    }
}
