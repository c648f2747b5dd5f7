package org.streamingmlp.trainer;

/** Mean of the last {@code size} values added; {@code NaN} before the first. Not thread-safe. */
final class SlidingMean {

    private final double[] values;
    private int next;
    private int count;
    private double sum;

    SlidingMean(int size) {
        this.values = new double[size];
    }

    void add(double value) {
        if (count == values.length) {
            sum -= values[next];
        } else {
            count++;
        }
        values[next] = value;
        sum += value;
        next = (next + 1) % values.length;
    }

    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
