package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Softmax;

/**
 * A single prediction (batch 1, which now goes straight to OpenBLAS) gives bit for bit the answer of the path it
 * took before: each layer's product by {@link Nd4j#gemm}, the bias added and ReLU applied in float32, and the softmax
 * of {@link Softmax#forward} on the off-heap logits, read back element by element.
 */
class DirectInferenceTest {

    @Test
    void aSinglePredictionEqualsTheNd4jPath() {
        for (MlpConfig model : List.of(MlpConfig.of(784, List.of(256, 256), 10), MlpConfig.of(5, List.of(7), 3))) {
            TrainingConfig config = TrainingConfig.defaults(model);
            OnlineLearner learner = new OnlineLearner(config);
            SplittableRandom random = new SplittableRandom(9);
            for (int step = 0; step < 3; step++) {   // biases away from their initial zeros
                float[][] x = rows(random, 8, model.inputSize());
                int[] y = new int[8];
                for (int i = 0; i < y.length; i++) {
                    y[i] = random.nextInt(model.outputSize());
                }
                learner.learnMany(x, new Targets.Classes(y));
            }
            ModelSnapshot snapshot = learner.snapshot(1);
            for (float[] row : rows(random, 20, model.inputSize())) {
                float[] expected = viaNd4j(snapshot.parameters(), model, row);
                assertArrayEquals(expected, snapshot.predict(new float[][] {row})[0]);
                assertArrayEquals(expected, learner.predict(new float[][] {row}, null)[0], "the trainer's view");
            }
        }
    }

    /** The former single-prediction path, layer by layer. */
    private static float[] viaNd4j(Map<String, float[]> parameters, MlpConfig model, float[] row) {
        int layers = model.hiddenSizes().size() + 1;
        INDArray h = Nd4j.create(DataType.FLOAT, 1, row.length);
        NumericBuffer.of(h).write(0, row);
        for (int k = 1; k <= layers; k++) {
            float[] bias = parameters.get("fc" + k + ".bias");
            INDArray weight = Nd4j.create(parameters.get("fc" + k + ".weight"), new long[] {bias.length, h.columns()},
                    'c');
            INDArray y = Nd4j.create(DataType.FLOAT, 1, bias.length);
            Nd4j.gemm(h, weight, y, false, true, 1.0, 0.0);
            float[] v = new float[bias.length];
            NumericBuffer.of(y).read(0, v);
            for (int j = 0; j < v.length; j++) {
                v[j] += bias[j];
                if (k < layers) {
                    v[j] = Math.max(v[j], 0f);
                }
            }
            h = Nd4j.create(DataType.FLOAT, 1, v.length);
            NumericBuffer.of(h).write(0, v);
        }
        NumericBuffer logits = NumericBuffer.of(h);
        Softmax.forward(logits, logits, 1, (int) h.columns());
        float[] out = new float[(int) h.columns()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) logits.get(j);
        }
        return out;
    }

    private static float[][] rows(SplittableRandom random, int n, int d) {
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }
}
