package org.streamingmlp.codec;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.ClassNames;

/**
 * The checks every input record passes whatever its wire format: its size, then its features and label against
 * {@code mlp.model.input-size}, {@code mlp.model.output-size} and the loss. Decoders extract numbers from their
 * format and hand them here; each failure names its {@link RejectReason}.
 */
final class RecordValidator {

    private final int inputSize;
    private final int outputSize;
    private final LossKind loss;
    private final int maxBytes;
    private final RecordSchema schema;
    private final ValueLimits limits;

    RecordValidator(RecordRules rules) {
        this.inputSize = rules.inputSize();
        this.outputSize = rules.outputSize();
        this.loss = rules.loss();
        this.maxBytes = rules.maxBytes();
        this.schema = rules.schema();
        this.limits = rules.limits();
    }

    RecordSchema schema() {
        return schema;
    }

    /**
     * A class given by name: its index in {@code mlp.model.class-names}; {@code unknown-label} for a name not
     * listed, {@code invalid-label} when no class names are configured.
     */
    Label className(String name) throws InvalidRecordException {
        ClassNames names = schema.classNames();
        if (names == null) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "'label' is a class name, but mlp.model.class-names is not set");
        }
        int index = names.indexOf(name);
        if (index < 0) {
            throw new InvalidRecordException(RejectReason.UNKNOWN_LABEL,
                    "'" + name + "' is not one of mlp.model.class-names " + names.names());
        }
        return classIndex(index);
    }

    /**
     * An example's weight: finite, >= 0 and at most {@code mlp.records.max-weight}; exactly 1 for the contrastive
     * loss.
     */
    float weight(double weight) throws InvalidRecordException {
        if (!(weight >= 0) || weight > Float.MAX_VALUE) {
            throw new InvalidRecordException(RejectReason.INVALID_WEIGHT,
                    "'weight' must be a finite number >= 0, got " + weight);
        }
        if (weight > limits.maxWeight()) {
            throw new InvalidRecordException(RejectReason.WEIGHT_OUT_OF_RANGE,
                    "'weight' " + weight + " is above mlp.records.max-weight=" + limits.maxWeight());
        }
        if (loss == LossKind.CONTRASTIVE && weight != 1) {
            throw new InvalidRecordException(RejectReason.INVALID_WEIGHT,
                    "the contrastive loss couples examples in pairs and takes no per-example weight, got " + weight);
        }
        return (float) weight;
    }

    /** Features a record must have (numeric ones, with a feature schema). */
    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return outputSize;
    }

    /** True when the loss takes a class index, false when it takes one target value per output. */
    boolean takesClassIndex() {
        return loss.classIndexTargets();
    }

    /** A value to decode: present and at most {@code mlp.records.max-bytes} long. */
    void checkValue(byte[] value) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "the record has no value");
        }
        if (value.length > maxBytes) {
            throw new InvalidRecordException(RejectReason.OVERSIZED,
                    "the value has " + value.length + " bytes, more than mlp.records.max-bytes=" + maxBytes);
        }
    }

    /** Exactly {@code mlp.model.input-size} features; checked before they are read. */
    void checkFeatureCount(long count) throws InvalidRecordException {
        if (count != inputSize) {
            throw new InvalidRecordException(RejectReason.WRONG_FEATURE_COUNT,
                    "expected " + inputSize + " features (mlp.model.input-size), got " + count);
        }
    }

    /** Features of the configured width, every one a finite float of magnitude <= mlp.records.max-feature-magnitude. */
    float[] features(float[] features) throws InvalidRecordException {
        checkFeatureCount(features.length);
        checkFinite(features, "feature", RejectReason.NON_FINITE_FEATURE);
        for (int i = 0; i < features.length; i++) {
            if (Math.abs(features[i]) > limits.maxFeatureMagnitude()) {
                throw new InvalidRecordException(RejectReason.FEATURE_OUT_OF_RANGE, "feature " + i + " = "
                        + features[i] + " is beyond mlp.records.max-feature-magnitude=" + limits.maxFeatureMagnitude());
            }
        }
        return features;
    }

    /**
     * A class index for the cross-entropy and focal losses: in {@code [0, output-size)}. Contrastive labels only
     * group examples, so any non-negative integer.
     */
    Label classIndex(long index) throws InvalidRecordException {
        if (!loss.classIndexTargets()) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "the " + loss + " loss takes " + valuesShape() + ", not a class index");
        }
        long classes = loss == LossKind.CONTRASTIVE ? Integer.MAX_VALUE : outputSize;
        if (index < 0 || index >= classes) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "class " + index + " is outside [0, " + classes + ")"
                            + (loss == LossKind.CONTRASTIVE ? "" : " (mlp.model.output-size)"));
        }
        return new Label.ClassIndex((int) index);
    }

    /** Target values: one finite float per output; BCE-with-logits targets lie in [0, 1]. */
    Label values(float[] values) throws InvalidRecordException {
        if (loss.classIndexTargets()) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "the " + loss + " loss takes an integer class index, not target values");
        }
        if (values.length != outputSize) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "'label' must be " + valuesShape() + " (mlp.model.output-size), got " + values.length);
        }
        checkFinite(values, "label", RejectReason.NON_FINITE_LABEL);
        if (loss == LossKind.BCE_WITH_LOGITS) {
            for (float v : values) {
                if (v < 0 || v > 1) {
                    throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                            "BCE-with-logits targets must lie in [0, 1], got " + v);
                }
            }
        }
        return new Label.Values(values);
    }

    private String valuesShape() {
        return outputSize == 1 ? "one number" : outputSize + " numbers";
    }

    private static void checkFinite(float[] values, String what, RejectReason reason) throws InvalidRecordException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidRecordException(reason, what + " " + i + " is not a finite float: " + values[i]);
            }
        }
    }
}
