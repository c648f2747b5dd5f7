package org.streamingmlp.nn;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lookup table for a categorical field: {@code weight [numEmbeddings, dim]}, initialised {@code N(0, 0.02^2)}.
 * <pre>
 *   forward:  y_n = weight[idx_n]
 *   backward: dweight[k] = sum_{n: idx_n = k} R_n   (rows never looked up get zero gradient)
 * </pre>
 */
public final class Embedding {
    public static final double INIT_STD = 0.02;

    private final int numEmbeddings;
    private final int dim;
    private final NumericBuffer weight;
    private final NumericBuffer weightGrad;
    private final Parameters parameters;
    private int[] indices;

    /** Declares {@code name.weight [numEmbeddings, dim]}. */
    public static void declare(Parameters.Builder builder, String name, int numEmbeddings, int dim) {
        builder.add(name + ".weight", true, numEmbeddings, dim);
    }

    public Embedding(Parameters parameters, String name, int numEmbeddings, int dim) {
        this.parameters = parameters;
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = parameters.values(name + ".weight");
        this.weightGrad = parameters.gradients(name + ".weight");
    }

    /** Draws the weights from {@code N(0, 0.02^2)}. */
    public void resetParameters(RandomGenerator random) {
        Initializers.normal(weight, INIT_STD, random);
    }

    /** Returns {@code [indices.length, dim]}; each index must be in {@code [0, numEmbeddings)}. */
    public INDArray forward(int[] idx) {
        for (int k : idx) {
            if (k < 0 || k >= numEmbeddings) {
                throw new IllegalArgumentException("embedding index must be in [0, " + numEmbeddings + "), got " + k);
            }
        }
        indices = idx.clone();
        INDArray y = Nd4j.create(parameters.dataType(), idx.length, dim);
        NumericBuffer yb = NumericBuffer.of(y);
        for (int n = 0; n < idx.length; n++) {
            for (int j = 0; j < dim; j++) {
                yb.set(n * dim + j, weight.get(idx[n] * dim + j));
            }
        }
        return y;
    }

    /** Overwrites the weight gradient with the scatter-add of {@code gradOutput}. */
    public void backward(INDArray gradOutput) {
        NumericBuffer rb = NumericBuffer.of(gradOutput);
        weightGrad.fill(0.0);
        for (int n = 0; n < indices.length; n++) {
            for (int j = 0; j < dim; j++) {
                int k = indices[n] * dim + j;
                weightGrad.set(k, weightGrad.get(k) + rb.get(n * dim + j));
            }
        }
    }
}
