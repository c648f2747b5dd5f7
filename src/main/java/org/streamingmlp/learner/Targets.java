package org.streamingmlp.learner;

/** Training targets of a mini-batch, one per example. */
public sealed interface Targets permits Targets.Classes, Targets.Values {

    /** Number of examples. */
    int size();

    /** Class indices in {@code [0, outputSize)}: for CROSS_ENTROPY, FOCAL and CONTRASTIVE (labels). */
    record Classes(int[] indices) implements Targets {
        public Classes {
            if (indices == null) {
                throw new IllegalArgumentException("targets.indices must not be null");
            }
            indices = indices.clone();
        }

        @Override
        public int[] indices() {
            return indices.clone();
        }

        @Override
        public int size() {
            return indices.length;
        }
    }

    /** Values {@code [N][outputSize]}: for BCE_WITH_LOGITS (in [0, 1]), MSE, L1 and HUBER. */
    record Values(float[][] values) implements Targets {
        public Values {
            if (values == null) {
                throw new IllegalArgumentException("targets.values must not be null");
            }
            float[][] copy = new float[values.length][];
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    throw new IllegalArgumentException("targets.values[" + i + "] must not be null");
                }
                copy[i] = values[i].clone();
            }
            values = copy;
        }

        @Override
        public float[][] values() {
            float[][] copy = new float[values.length][];
            for (int i = 0; i < values.length; i++) {
                copy[i] = values[i].clone();
            }
            return copy;
        }

        @Override
        public int size() {
            return values.length;
        }

        float[] row(int i) {
            return values[i];
        }
    }
}
