package org.streamingmlp.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of a feed-forward network on a {@code [N, features]} batch. The layer remembers what its backward pass
 * needs from the latest forward pass; returned arrays are reused by the next call with the same batch size, so a
 * caller must consume them before calling again. Not thread-safe.
 */
public interface Layer {

    /** Computes the output for {@code input}; {@code training} selects training-mode behaviour (dropout, batch stats). */
    INDArray forward(INDArray input, boolean training);

    /**
     * Given dLoss/dOutput of the latest forward pass, writes (overwrites) the parameter gradients and returns
     * dLoss/dInput (or null when the layer was built not to compute it).
     */
    INDArray backward(INDArray gradOutput);
}
