package org.streamingmlp.nn;

/** Normalisation placed between a hidden Linear and its activation. */
public enum Normalization {
    /** No normalisation. */
    NONE,
    /** {@link BatchNorm1d}: batch statistics in training, running statistics in evaluation. */
    BATCH_NORM,
    /** {@link LayerNorm}: per-example statistics, identical in training and evaluation. */
    LAYER_NORM
}
