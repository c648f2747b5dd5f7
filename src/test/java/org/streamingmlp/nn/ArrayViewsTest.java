package org.streamingmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Views are made once per array, each is its own array's, and arrays beyond the cache's size still get theirs. */
class ArrayViewsTest {

    @Test
    void eachArrayKeepsItsOwnViewAndPointer() {
        ArrayViews views = new ArrayViews();
        INDArray[] arrays = new INDArray[ArrayViews.SIZE + 2];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = Nd4j.create(DataType.FLOAT, 1 + i, 3);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < arrays.length; i++) {
                NumericBuffer view = views.buffer(arrays[i]);
                assertSame(view, views.buffer(arrays[i]), "made once while the array is cached");
                assertEquals(arrays[i].length(), view.length());
                view.set(0, 10 * round + i);
                assertEquals(10 * round + i, arrays[i].getFloat(0), 0.0, "the view writes into its own array");
                assertEquals(Gemm.address(arrays[i]).address(), views.pointer(arrays[i]).address());
            }
        }
        INDArray a = Nd4j.create(DataType.FLOAT, 2, 2);
        INDArray b = Nd4j.create(DataType.FLOAT, 2, 2);
        assertNotSame(views.buffer(a), views.buffer(b), "equal arrays are still two arrays");
    }
}
