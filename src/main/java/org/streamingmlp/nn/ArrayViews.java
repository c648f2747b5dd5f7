package org.streamingmlp.nn;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native views of the few arrays one owner (a layer, a converter) works on call after call: the
 * {@link NumericBuffer} of an array and the typed pointer {@link Gemm} hands to OpenBLAS, each made once per array
 * instead of once per call. Making them allocates several objects (a direct NIO buffer and its typed and sliced
 * views; three JavaCPP pointers), which at batch 1 was most of what a prediction allocated. With a steady batch size
 * an owner sees the same scratch arrays every call (a layer: at most 4, e.g. input, dropout input, weight, output), so
 * {@value #SIZE} entries, matched by identity and replaced in turn, hold them all with room for an odd batch size. A
 * view stays valid as long as its array: nothing here calls {@code INDArray.setData}, so an array keeps its buffer. Not
 * thread-safe: one per owner, as the arrays are.
 */
public final class ArrayViews {
    static final int SIZE = 8;

    private final INDArray[] arrays = new INDArray[SIZE];
    private final NumericBuffer[] buffers = new NumericBuffer[SIZE];
    private final Pointer[] pointers = new Pointer[SIZE];
    private int next;

    /** {@link NumericBuffer#of}{@code (array)}, made once. */
    public NumericBuffer buffer(INDArray array) {
        int i = slot(array);
        if (buffers[i] == null) {
            buffers[i] = NumericBuffer.of(array);
        }
        return buffers[i];
    }

    /** The address of element 0 of {@code array} as OpenBLAS takes it ({@link Gemm}), made once. */
    Pointer pointer(INDArray array) {
        int i = slot(array);
        if (pointers[i] == null) {
            pointers[i] = Gemm.address(array);
        }
        return pointers[i];
    }

    private int slot(INDArray array) {
        for (int i = 0; i < SIZE; i++) {
            if (arrays[i] == array) {
                return i;
            }
        }
        int i = next;
        next = (next + 1) % SIZE;
        arrays[i] = array;
        buffers[i] = null;
        pointers[i] = null;
        return i;
    }
}
