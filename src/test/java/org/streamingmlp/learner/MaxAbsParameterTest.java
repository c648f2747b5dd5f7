package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * {@link ModelSnapshot#maxAbsParameter()} scans the magnitudes' bit patterns without a branch per element: it must
 * give what the plain loop gives ({@code max |p|}, or NaN as soon as one parameter is NaN or infinite), for float32
 * and float64 models, with negative values, zeros of both signs, subnormals and NaNs of either sign and any payload.
 */
class MaxAbsParameterTest {

    enum Type { FLOAT, DOUBLE }

    @ParameterizedTest
    @EnumSource(Type.class)
    void agreesWithThePlainLoop(Type type) {
        TrainingConfig config = new TrainingConfig(
                new MlpConfig(5, List.of(4), 3, Activation.RELU, 0.01, 0.0, Normalization.NONE),
                LossKind.CROSS_ENTROPY, AdamWConfig.defaults(), ScheduleConfig.defaults(), 1.0, 1L,
                type == Type.FLOAT ? DataType.FLOAT : DataType.DOUBLE);
        Map<String, long[]> shapes = new OnlineLearner(config).parameterShapes();
        SplittableRandom random = new SplittableRandom(11);
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.NaN, Float.intBitsToFloat(0xffc00001), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY};
        int nonFinite = 0;
        for (int trial = 0; trial < 500; trial++) {
            Map<String, float[]> parameters = new LinkedHashMap<>();
            double expected = 0;
            boolean finite = true;
            for (Map.Entry<String, long[]> shape : shapes.entrySet()) {
                int n = 1;
                for (long d : shape.getValue()) {
                    n *= (int) d;
                }
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    int pick = random.nextInt(40);
                    values[i] = pick < specials.length && (pick < 7 || random.nextInt(8) == 0) ? specials[pick]
                            : (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-40, 38)));
                    finite &= Float.isFinite(values[i]);
                    expected = Math.max(expected, Math.abs(values[i]));
                }
                parameters.put(shape.getKey(), values);
            }
            ModelSnapshot snapshot = ModelSnapshot.of(1, 0, config, parameters, Map.of());
            double max = snapshot.maxAbsParameter();
            if (finite) {
                assertEquals(expected, max, 0.0, "trial " + trial);
            } else {
                nonFinite++;
                assertTrue(Double.isNaN(max), "trial " + trial + ": a non-finite parameter, got " + max);
            }
        }
        assertTrue(nonFinite > 50 && nonFinite < 450, "both kinds of models were tried: " + nonFinite);
    }
}
