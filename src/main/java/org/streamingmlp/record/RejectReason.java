package org.streamingmlp.record;

/**
 * Why a record was sent to the dead-letter topic instead of the model. The code travels in the
 * {@code dead-letter-reason} header; the README lists every code.
 */
public enum RejectReason {
    /** The value is larger than {@code mlp.records.max-bytes}. */
    OVERSIZED,
    /** The {@code content-type} header names a format the service does not read. */
    UNSUPPORTED_FORMAT,
    /** The value is not JSON, or not a JSON object; or not a well-formed binary record. */
    UNDECODABLE,
    /** The {@code features} field is missing or not an array. */
    MISSING_FEATURES,
    /** A feature is not a number. */
    NON_NUMERIC_FEATURE,
    /** The number of features differs from {@code mlp.model.input-size}. */
    WRONG_FEATURE_COUNT,
    /** A feature is infinite or NaN, or does not fit a float. */
    NON_FINITE_FEATURE,
    /** A feature's magnitude is above {@code mlp.records.max-feature-magnitude}. */
    FEATURE_OUT_OF_RANGE,
    /** A training or validation record has no {@code label}. */
    MISSING_LABEL,
    /** The label is not what the configured loss takes: not an integer class in range, or values of the wrong shape. */
    INVALID_LABEL,
    /** A label value is infinite or NaN. */
    NON_FINITE_LABEL,
    /** The {@code id} field is present but not a string or a number. */
    INVALID_ID,
    /** With a feature schema: a named feature of the schema is absent (or null) in {@code features}. */
    MISSING_FEATURE,
    /** With a feature schema: a categorical feature is not a string. */
    INVALID_CATEGORY,
    /** The label is a class name that {@code mlp.model.class-names} does not list. */
    UNKNOWN_LABEL,
    /** {@code weight} is not a finite number >= 0 (or is not 1 for the contrastive loss). */
    INVALID_WEIGHT,
    /** {@code weight} is above {@code mlp.records.max-weight}. */
    WEIGHT_OUT_OF_RANGE,
    /** {@code POST /predict}: more requests in one call than {@code mlp.predictions.max-requests-per-call}. */
    TOO_MANY_REQUESTS,
    /**
     * The record passed validation but handling it failed (an exception in the service); the cause header says
     * which. The record is dead-lettered so that the partition moves on instead of replaying it forever.
     */
    PROCESSING_FAILED;

    /** The code as it appears in headers and metrics. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
