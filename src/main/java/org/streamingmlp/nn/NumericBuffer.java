package org.streamingmlp.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java element access to the off-heap data of a contiguous, row-major ND4J array, through a direct NIO view
 * ({@code DataBuffer.asNioDouble()/asNioFloat()}): element-wise math runs as ordinary Java loops with no call into
 * native code per element, in float64 or float32 alike (values are read and written as {@code double}).
 */
public abstract sealed class NumericBuffer permits NumericBuffer.Float64, NumericBuffer.Float32 {

    /** Number of elements visible through this buffer. */
    public abstract int length();

    /** Element {@code i} (row-major index). */
    public abstract double get(int i);

    /** Sets element {@code i} (rounded to float for float32 arrays). */
    public abstract void set(int i, double value);

    /** A view of {@code length} elements starting at {@code offset}. */
    public abstract NumericBuffer window(int offset, int length);

    /** Bulk-copies {@code dst.length} elements starting at {@code offset} into {@code dst}. */
    public abstract void read(int offset, float[] dst);

    /** Bulk-copies {@code dst.length} elements starting at {@code offset} into {@code dst}. */
    public abstract void read(int offset, double[] dst);

    /** Bulk-writes {@code src} starting at element {@code offset}. */
    public abstract void write(int offset, float[] src);

    /** Bulk-writes {@code src} starting at element {@code offset}. */
    public abstract void write(int offset, double[] src);

    /** Bulk-copies elements {@code [0, n)} into {@code dst[0, n)}. */
    public abstract void readFirst(float[] dst, int n);

    /** Bulk-copies elements {@code [0, n)} into {@code dst[0, n)}. */
    public abstract void readFirst(double[] dst, int n);

    /** Bulk-writes {@code src[0, n)} into elements {@code [0, n)}. */
    public abstract void writeFirst(float[] src, int n);

    /** Bulk-writes {@code src[0, n)} into elements {@code [0, n)}. */
    public abstract void writeFirst(double[] src, int n);

    /** Bulk-copies elements {@code [from, from + n)} into {@code dst[from, from + n)}. */
    public abstract void readRange(int from, float[] dst, int n);

    /** Bulk-writes {@code src[from, from + n)} into elements {@code [from, from + n)}. */
    public abstract void writeRange(int from, float[] src, int n);

    /** True when the elements are stored as float32. */
    public abstract boolean isFloat32();

    /**
     * Views the whole array, which must be row-major, contiguous and start at offset 0 of its buffer. The view keeps
     * the array reachable (and every {@link #window} of it does too): a direct NIO view alone does not, and ND4J frees
     * an unreachable array's native memory after a collection while the view would still write into it.
     */
    public static NumericBuffer of(INDArray array) {
        if (array.offset() != 0 || array.ordering() != 'c' || array.isView()) {
            throw new IllegalArgumentException("NumericBuffer needs a contiguous row-major array at offset 0");
        }
        long n = array.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array too large: " + n);
        }
        DataType type = array.dataType();
        if (type == DataType.DOUBLE) {
            return new Float64(array.data().asNioDouble().slice(0, (int) n), array);
        }
        if (type == DataType.FLOAT) {
            return new Float32(array.data().asNioFloat().slice(0, (int) n), array);
        }
        throw new IllegalArgumentException("only FLOAT and DOUBLE are supported, got " + type);
    }

    /** Copies all elements into a new double array. */
    public double[] toDoubleArray() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Copies all elements into a new float array. */
    public float[] toFloatArray() {
        float[] out = new float[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) get(i);
        }
        return out;
    }

    /** Overwrites all elements from {@code values}, whose length must match. */
    public void setAll(double[] values) {
        if (values.length != length()) {
            throw new IllegalArgumentException("expected " + length() + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            set(i, values[i]);
        }
    }

    /** Sets every element to {@code value}. */
    public void fill(double value) {
        for (int i = 0, n = length(); i < n; i++) {
            set(i, value);
        }
    }

    /** float64 storage. */
    public static final class Float64 extends NumericBuffer {
        private final DoubleBuffer data;
        /** The array whose memory {@code data} views, held so that it is not freed while this view is used. */
        private final Object owner;

        Float64(DoubleBuffer data, Object owner) {
            this.data = data;
            this.owner = owner;
        }

        @Override public int length() { return data.limit(); }
        @Override public double get(int i) { return data.get(i); }
        @Override public void set(int i, double value) { data.put(i, value); }
        @Override public NumericBuffer window(int offset, int length) { return new Float64(data.slice(offset, length), owner); }
        @Override public void read(int offset, double[] dst) { data.get(offset, dst); }
        @Override public void write(int offset, double[] src) { data.put(offset, src); }
        @Override public boolean isFloat32() { return false; }

        @Override public void readFirst(double[] dst, int n) { data.get(0, dst, 0, n); }
        @Override public void writeFirst(double[] src, int n) { data.put(0, src, 0, n); }

        @Override
        public void readFirst(float[] dst, int n) {
            readRange(0, dst, n);
        }

        @Override
        public void readRange(int from, float[] dst, int n) {
            for (int i = from; i < from + n; i++) {
                dst[i] = (float) data.get(i);
            }
        }

        @Override
        public void writeRange(int from, float[] src, int n) {
            for (int i = from; i < from + n; i++) {
                data.put(i, src[i]);
            }
        }

        @Override
        public void writeFirst(float[] src, int n) {
            for (int i = 0; i < n; i++) {
                data.put(i, src[i]);
            }
        }

        @Override
        public void read(int offset, float[] dst) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (float) data.get(offset + i);
            }
        }

        @Override
        public void write(int offset, float[] src) {
            for (int i = 0; i < src.length; i++) {
                data.put(offset + i, src[i]);
            }
        }
    }

    /** float32 storage. */
    public static final class Float32 extends NumericBuffer {
        private final FloatBuffer data;
        /** The array whose memory {@code data} views, held so that it is not freed while this view is used. */
        private final Object owner;

        Float32(FloatBuffer data, Object owner) {
            this.data = data;
            this.owner = owner;
        }

        @Override public int length() { return data.limit(); }
        @Override public double get(int i) { return data.get(i); }
        @Override public void set(int i, double value) { data.put(i, (float) value); }
        @Override public NumericBuffer window(int offset, int length) { return new Float32(data.slice(offset, length), owner); }
        @Override public void read(int offset, float[] dst) { data.get(offset, dst); }
        @Override public void write(int offset, float[] src) { data.put(offset, src); }
        @Override public boolean isFloat32() { return true; }
        @Override public void readFirst(float[] dst, int n) { data.get(0, dst, 0, n); }
        @Override public void writeFirst(float[] src, int n) { data.put(0, src, 0, n); }
        @Override public void readRange(int from, float[] dst, int n) { data.get(from, dst, from, n); }
        @Override public void writeRange(int from, float[] src, int n) { data.put(from, src, from, n); }

        @Override
        public void readFirst(double[] dst, int n) {
            for (int i = 0; i < n; i++) {
                dst[i] = data.get(i);
            }
        }

        @Override
        public void writeFirst(double[] src, int n) {
            for (int i = 0; i < n; i++) {
                data.put(i, (float) src[i]);
            }
        }

        @Override
        public void read(int offset, double[] dst) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = data.get(offset + i);
            }
        }

        @Override
        public void write(int offset, double[] src) {
            for (int i = 0; i < src.length; i++) {
                data.put(offset + i, (float) src[i]);
            }
        }
    }
}
