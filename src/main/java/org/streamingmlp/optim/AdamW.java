package org.streamingmlp.optim;

import org.streamingmlp.nn.NumericBuffer;

/**
 * AdamW (Loshchilov and Hutter 2019), exactly as {@code torch.optim.AdamW} (amsgrad off). With state
 * {@code m = v = 0, t = 0}, each step with gradient {@code g} and current learning rate {@code lr}:
 * <pre>
 *   t += 1
 *   p = p * (1 - lr*wd)                       (decoupled decay; only the first {@code decayedLength} elements
 *                                              when biases and norms are excluded)
 *   m = b1*m + (1-b1)*g ;  v = b2*v + (1-b2)*g^2
 *   p = p - (lr/(1 - b1^t)) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)
 * </pre>
 * {@code eps} is added after dividing {@code sqrt(v)} by {@code sqrt(1 - b2^t)}. The moments are kept in float64
 * whatever the parameter type. One plain loop over the flat buffers.
 *
 * <p>Lifecycle: construct (state zero), {@link #step} once per optimizer step, {@link #reset} to forget.
 */
public final class AdamW {
    private final AdamWConfig config;
    private final double[] m;
    private final double[] v;
    private long t;

    public AdamW(AdamWConfig config, int size) {
        this.config = config;
        this.m = new double[size];
        this.v = new double[size];
    }

    public AdamWConfig config() {
        return config;
    }

    /** Steps taken. */
    public long stepCount() {
        return t;
    }

    /** First moment (a copy). */
    public double[] firstMoment() {
        return m.clone();
    }

    /** Second moment (a copy). */
    public double[] secondMoment() {
        return v.clone();
    }

    /** Forgets the moments and the step count. */
    public void reset() {
        java.util.Arrays.fill(m, 0.0);
        java.util.Arrays.fill(v, 0.0);
        t = 0;
    }

    /** One update of {@code params} using {@code grads}; elements {@code [0, decayedLength)} get weight decay. */
    public void step(NumericBuffer params, NumericBuffer grads, double lr, int decayedLength) {
        int n = m.length;
        if (params.length() != n || grads.length() != n) {
            throw new IllegalArgumentException("AdamW state has " + n + " elements, got " + params.length());
        }
        t++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.eps();
        double decay = 1.0 - lr * config.weightDecay();
        int decayEnd = config.decayBiasesAndNorms() ? n : decayedLength;
        double stepSize = lr / (1.0 - Math.pow(b1, t));
        double sqrtBc2 = Math.sqrt(1.0 - Math.pow(b2, t));
        for (int i = 0; i < n; i++) {
            double p = params.get(i);
            if (i < decayEnd) {
                p *= decay;
            }
            double g = grads.get(i);
            double mi = b1 * m[i] + (1.0 - b1) * g;
            double vi = b2 * v[i] + (1.0 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params.set(i, p - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps));
        }
    }
}
