package org.streamingmlp.it;

import java.util.Locale;
import java.util.Random;

/**
 * A simple separable problem: three Gaussian blobs in four dimensions, centred on well-separated points.
 * Seeded, so a test sees the same data every run.
 */
final class Blobs {

    static final int FEATURES = 4;
    static final int CLASSES = 3;
    private static final double[][] CENTRES = {
            {2, 0, -1, 1}, {-2, 1, 1, -1}, {0, -2, 2, 0}};

    private final Random random;
    private final double noise;
    private final int labelShift;

    Blobs(long seed) {
        this(seed, 0.5, 0);
    }

    /**
     * @param noise      standard deviation around each centre (overlapping blobs make the loss plateau)
     * @param labelShift concept drift: the blob around centre c is labelled (c + labelShift) mod 3
     */
    Blobs(long seed, double noise, int labelShift) {
        this.random = new Random(seed);
        this.noise = noise;
        this.labelShift = labelShift;
    }

    record Example(float[] features, int label) {
    }

    Example next() {
        int centre = random.nextInt(CLASSES);
        float[] x = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            x[j] = (float) (CENTRES[centre][j] + noise * random.nextGaussian());
        }
        return new Example(x, (centre + labelShift) % CLASSES);
    }

    static String json(float[] features) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < features.length; j++) {
            if (j > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.5f", features[j]));
        }
        return sb.append(']').toString();
    }

    static String trainingRecord(String id, Example e) {
        return "{\"id\":\"" + id + "\",\"features\":" + json(e.features()) + ",\"label\":" + e.label() + "}";
    }

    static String request(String id, float[] features) {
        return "{\"id\":\"" + id + "\",\"features\":" + json(features) + "}";
    }
}
