package org.streamingmlp.codec;

/**
 * Bounds on input values that are finite floats and still poison a model: a feature of 1e30 passes the finite check,
 * then dominates every gradient (or, with standardisation on, the running variance for the model's lifetime); an
 * example weighted 1e30 turns its batch into a single example. A record beyond a bound is dead-lettered (or answered
 * 400) with its reason code; nothing is clamped.
 *
 * @param maxFeatureMagnitude largest accepted |feature| ({@code mlp.records.max-feature-magnitude}), finite and > 0
 * @param maxWeight           largest accepted example weight ({@code mlp.records.max-weight}), finite and > 0
 */
public record ValueLimits(double maxFeatureMagnitude, double maxWeight) {

    /** The defaults of {@code mlp.records.max-feature-magnitude} and {@code mlp.records.max-weight}. */
    public static final ValueLimits DEFAULT = new ValueLimits(1e6, 1000);

    public ValueLimits {
        if (!(maxFeatureMagnitude > 0) || Double.isInfinite(maxFeatureMagnitude)) {
            throw new IllegalArgumentException(
                    "mlp.records.max-feature-magnitude must be finite and > 0, got " + maxFeatureMagnitude);
        }
        if (!(maxWeight > 0) || Double.isInfinite(maxWeight)) {
            throw new IllegalArgumentException("mlp.records.max-weight must be finite and > 0, got " + maxWeight);
        }
    }
}
