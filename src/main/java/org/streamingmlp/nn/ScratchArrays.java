package org.streamingmlp.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-layer cache of work arrays keyed by role and shape, so a steady batch size allocates nothing per step. */
final class ScratchArrays {
    private final DataType dataType;
    private final Map<String, INDArray> arrays = new HashMap<>();

    ScratchArrays(DataType dataType) {
        this.dataType = dataType;
    }

    /** A {@code [rows, cols]} array for {@code role}; contents are whatever the previous user left. */
    INDArray get(String role, long rows, long cols) {
        return arrays.computeIfAbsent(role + ':' + rows + 'x' + cols, k -> Nd4j.create(dataType, rows, cols));
    }
}
