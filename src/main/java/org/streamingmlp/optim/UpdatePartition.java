package org.streamingmlp.optim;

import java.util.Arrays;

/**
 * Which elements of a split AdamW update each thread takes: {@code helper} and {@code caller} are {@code from, to}
 * pairs, ascending and disjoint, that together cover {@code [0, size)} once.
 */
record UpdatePartition(int[] helper, int[] caller) {

    /**
     * The helper takes {@code helperRanges} when they give each thread at least a quarter of the elements, else the
     * second half (from a multiple of {@code chunk}); the caller takes the rest.
     *
     * @throws IllegalArgumentException when {@code helperRanges} are not ascending, disjoint pairs within the size
     */
    static UpdatePartition of(int[] helperRanges, int size, int chunk) {
        int[] helper = balanced(helperRanges, size) ? helperRanges.clone()
                : new int[] {(size / 2 / chunk) * chunk, size};
        return new UpdatePartition(helper, complement(helper, size));
    }

    /** True when {@code ranges} are valid (pairs, ascending, disjoint, within size) and give each thread a quarter. */
    private static boolean balanced(int[] ranges, int size) {
        if (ranges == null || ranges.length % 2 != 0) {
            return false;
        }
        long covered = 0;
        int end = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] < end || ranges[i + 1] < ranges[i] || ranges[i + 1] > size) {
                throw new IllegalArgumentException("helper ranges must be ascending, disjoint pairs within [0, "
                        + size + "): " + Arrays.toString(ranges));
            }
            covered += ranges[i + 1] - ranges[i];
            end = ranges[i + 1];
        }
        return covered * 4 >= size && (size - covered) * 4 >= size;
    }

    /** The ranges of {@code [0, size)} not in {@code ranges}. */
    private static int[] complement(int[] ranges, int size) {
        int[] out = new int[ranges.length + 2];
        int n = 0;
        int at = 0;
        for (int i = 0; i <= ranges.length; i += 2) {
            int next = i < ranges.length ? ranges[i] : size;
            if (next > at) {
                out[n++] = at;
                out[n++] = next;
            }
            at = i < ranges.length ? ranges[i + 1] : size;
        }
        return Arrays.copyOf(out, n);
    }
}
