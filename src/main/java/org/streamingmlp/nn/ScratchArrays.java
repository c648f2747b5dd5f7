package org.streamingmlp.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-owner cache of work arrays keyed by role and shape, so a steady batch size allocates nothing per step. Only the
 * {@value #MAX_ENTRIES} most recently used shapes are kept, so a stream of ever-changing micro-batch sizes cannot
 * pile up off-heap memory (evicted arrays are freed by ND4J once unreachable).
 */
public final class ScratchArrays {
    static final int MAX_ENTRIES = 24;

    private final DataType dataType;
    private final Map<Key, INDArray> arrays = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, INDArray> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public ScratchArrays(DataType dataType) {
        this.dataType = dataType;
    }

    /** A {@code [rows, cols]} array for {@code role}; contents are whatever the previous user left. */
    public INDArray get(String role, long rows, long cols) {
        return arrays.computeIfAbsent(new Key(role, rows, cols), k -> Nd4j.create(dataType, rows, cols));
    }

    /** A role and a shape: no string built per lookup (layers look their arrays up on every pass). */
    private record Key(String role, long rows, long cols) {
    }
}
