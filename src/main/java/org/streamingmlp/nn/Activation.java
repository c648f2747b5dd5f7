package org.streamingmlp.nn;

import org.apache.commons.math3.special.Erf;

/**
 * Element-wise activation functions, each with its derivative beside it.
 *
 * <ul>
 *   <li>RELU: {@code max(x, 0)}; derivative 0 at {@code x == 0}. NaN propagates (never silently becomes 0).</li>
 *   <li>LEAKY_RELU: {@code x > 0 ? x : slope*x}; derivative {@code slope} at 0.</li>
 *   <li>GELU (exact): {@code x*Phi(x) = 0.5*x*(1 + erf(x/sqrt 2))}; derivative {@code Phi(x) + x*phi(x)}.
 *       Phi is computed with a high-precision erfc (Apache Commons Math), never with ND4J's sigmoid approximation.</li>
 *   <li>GELU_TANH: {@code 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))} (PyTorch {@code approximate='tanh'}).</li>
 *   <li>SIGMOID: {@code 1/(1+exp(-x))}; derivative {@code s(1-s)}.</li>
 *   <li>TANH: {@code tanh(x)}; derivative {@code 1 - tanh(x)^2}.</li>
 * </ul>
 * The {@code slope} argument is used by LEAKY_RELU only.
 */
public enum Activation {
    RELU {
        @Override public double apply(double x, double slope) { return Math.max(x, 0.0); } // NaN stays NaN
        @Override public double derivative(double x, double slope) { return x > 0 ? 1.0 : 0.0; }
    },
    LEAKY_RELU {
        @Override public double apply(double x, double slope) { return x > 0 ? x : slope * x; }
        @Override public double derivative(double x, double slope) { return x > 0 ? 1.0 : slope; }
    },
    GELU {
        @Override public double apply(double x, double slope) { return x * normalCdf(x); }
        @Override public double derivative(double x, double slope) { return normalCdf(x) + x * normalPdf(x); }
    },
    GELU_TANH {
        @Override public double apply(double x, double slope) {
            return 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
        }
        @Override public double derivative(double x, double slope) {
            double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x));
            double inner = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * x * x);
            return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * inner;
        }
    },
    SIGMOID {
        @Override public double apply(double x, double slope) { return sigmoid(x); }
        @Override public double derivative(double x, double slope) { double s = sigmoid(x); return s * (1.0 - s); }
    },
    TANH {
        @Override public double apply(double x, double slope) { return Math.tanh(x); }
        @Override public double derivative(double x, double slope) { double t = Math.tanh(x); return 1.0 - t * t; }
    };

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_TANH_C = 0.044715;
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** f(x). */
    public abstract double apply(double x, double slope);

    /** f'(x). */
    public abstract double derivative(double x, double slope);

    /** Numerically stable logistic function: never evaluates exp of a large positive number. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** Standard normal CDF {@code Phi(x) = 0.5*erfc(-x/sqrt 2)}, accurate in relative terms in both tails. */
    static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x * INV_SQRT_2);
    }

    /** Standard normal density {@code phi(x) = exp(-x^2/2)/sqrt(2 pi)}. */
    static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
