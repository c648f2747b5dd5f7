package org.streamingmlp.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All trainable parameters of a model in one flat buffer, and all their gradients in another of the same layout,
 * so that clipping and the optimizer are single loops over one array. Each named parameter (PyTorch names, e.g.
 * {@code fc1.weight} shaped {@code [out, in]}) is a view of its slice.
 *
 * <p>Layout: matrix weights (the parameters that are always weight-decayed) come first, then biases and
 * normalisation parameters, so "decay only weights" is "decay the first {@link #weightLength()} elements".
 */
public final class Parameters {

    /** Where one named parameter lives in the flat buffers. */
    public record Slot(String name, long[] shape, int offset, int length, boolean matrixWeight) {
        public Slot {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /** Collects parameter declarations; {@link #build} allocates the buffers. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final Map<String, long[]> shapes = new LinkedHashMap<>();
        private final Map<String, Boolean> weights = new LinkedHashMap<>();

        /** Declares a parameter; {@code matrixWeight} is true for Linear/Embedding weights. */
        public Builder add(String name, boolean matrixWeight, long... shape) {
            if (shapes.containsKey(name)) {
                throw new IllegalArgumentException("duplicate parameter " + name);
            }
            names.add(name);
            shapes.put(name, shape.clone());
            weights.put(name, matrixWeight);
            return this;
        }

        public Parameters build(DataType dataType) {
            return new Parameters(names, shapes, weights, dataType);
        }
    }

    private final Map<String, Slot> slots;
    private final INDArray values;
    private final INDArray gradients;
    private final NumericBuffer valueBuffer;
    private final NumericBuffer gradientBuffer;
    private final int weightLength;
    private final DataType dataType;

    private Parameters(List<String> names, Map<String, long[]> shapes, Map<String, Boolean> weights, DataType dataType) {
        this.dataType = dataType;
        Map<String, Slot> byName = new LinkedHashMap<>();
        int offset = 0;
        int weights0 = 0;
        for (boolean pass : new boolean[] {true, false}) {
            for (String name : names) {
                if (weights.get(name) != pass) {
                    continue;
                }
                long[] shape = shapes.get(name);
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                byName.put(name, new Slot(name, shape, offset, (int) n, pass));
                offset += (int) n;
            }
            if (pass) {
                weights0 = offset;
            }
        }
        this.weightLength = weights0;
        Map<String, Slot> ordered = new LinkedHashMap<>();
        for (String name : names) {
            ordered.put(name, byName.get(name));
        }
        this.slots = Collections.unmodifiableMap(ordered);
        this.values = Nd4j.zeros(dataType, Math.max(offset, 1));
        this.gradients = Nd4j.zeros(dataType, Math.max(offset, 1));
        this.valueBuffer = NumericBuffer.of(values).window(0, offset);
        this.gradientBuffer = NumericBuffer.of(gradients).window(0, offset);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Slots in declaration order (PyTorch order: fc1.weight, fc1.bias, ...). */
    public Map<String, Slot> slots() {
        return slots;
    }

    public Slot slot(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("unknown parameter " + name + "; known: " + slots.keySet());
        }
        return slot;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Total number of scalar parameters. */
    public int size() {
        return valueBuffer.length();
    }

    /** Number of leading elements that are matrix weights. */
    public int weightLength() {
        return weightLength;
    }

    /** All values, flat. */
    public NumericBuffer values() {
        return valueBuffer;
    }

    /** All gradients, flat, same layout as {@link #values()}. */
    public NumericBuffer gradients() {
        return gradientBuffer;
    }

    /** The values of one parameter, flattened row-major. */
    public NumericBuffer values(String name) {
        Slot s = slot(name);
        return valueBuffer.window(s.offset(), s.length());
    }

    /** The gradient of one parameter, flattened row-major. */
    public NumericBuffer gradients(String name) {
        Slot s = slot(name);
        return gradientBuffer.window(s.offset(), s.length());
    }

    /** An ND4J view (shared memory) of one parameter's values, with its shape. */
    public INDArray valueView(String name) {
        return view(values, slot(name));
    }

    /** An ND4J view (shared memory) of one parameter's gradient, with its shape. */
    public INDArray gradientView(String name) {
        return view(gradients, slot(name));
    }

    private INDArray view(INDArray flat, Slot s) {
        long[] shape = s.shape();
        long[] stride = new long[shape.length];
        long st = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = st;
            st *= shape[i];
        }
        return Nd4j.create(flat.data(), shape, stride, s.offset(), 'c', dataType);
    }
}
