package org.streamingmlp.nn;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input layer of a model with categorical fields: looks up each field's embedding row and concatenates the
 * embeddings after the numeric features.
 * <pre>
 *   input  x [N, numeric + K]: the numeric values, then one index per categorical field (exact small floats)
 *   output y [N, numeric + sum_k dim_k] = [ x[:, :numeric] | E_1[idx_1] | ... | E_K[idx_K] ]
 *   backward: dE_k[r] = sum_{n: idx_k,n = r} R[n, cols of field k]   (scatter-add; unused rows get 0)
 * </pre>
 * Tables are {@code emb.<field>.weight [cardinality + 1, dim]} in the flat {@link Parameters} buffer, so clipping
 * and the optimizer cover them like any weight; row {@link CategoricalField#UNSEEN} stands for unknown categories.
 * No gradient flows to the input (numbers and indices are data).
 */
public final class CategoricalEmbeddings implements Layer {
    /** Standard deviation of the tables' initial values, as {@code nn.init.normal_(std=0.02)}. */
    public static final double INIT_STD = 0.02;

    private final int numeric;
    private final List<CategoricalField> fields;
    private final NumericBuffer[] tables;
    private final NumericBuffer[] tableGrads;
    private final int outputWidth;
    private final ScratchArrays scratch;
    private int[] indices = new int[0];
    private int rows;

    /** Declares {@code emb.<field>.weight [cardinality + 1, dim]} for every field. */
    public static void declare(Parameters.Builder builder, List<CategoricalField> fields) {
        for (CategoricalField f : fields) {
            builder.add(f.parameterPrefix() + ".weight", true, f.rows(), f.dimension());
        }
    }

    public CategoricalEmbeddings(Parameters parameters, int numeric, List<CategoricalField> fields) {
        this.numeric = numeric;
        this.fields = List.copyOf(fields);
        this.tables = new NumericBuffer[fields.size()];
        this.tableGrads = new NumericBuffer[fields.size()];
        int width = numeric;
        for (int k = 0; k < tables.length; k++) {
            String name = fields.get(k).parameterPrefix() + ".weight";
            tables[k] = parameters.values(name);
            tableGrads[k] = parameters.gradients(name);
            width += fields.get(k).dimension();
        }
        this.outputWidth = width;
        this.scratch = new ScratchArrays(parameters.dataType());
    }

    /** Draws every table from {@code N(0, 0.02^2)}, the reserved row included. */
    public void resetParameters(RandomGenerator random) {
        for (NumericBuffer table : tables) {
            Initializers.normal(table, INIT_STD, random);
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        int k = fields.size();
        if (x.columns() != numeric + k) {
            throw new IllegalArgumentException("expected " + numeric + " numeric values and " + k
                    + " category indices per row, got " + x.columns() + " columns");
        }
        int n = (int) x.rows();
        NumericBuffer in = NumericBuffer.of(x);
        int[] idx = n * k <= indices.length ? indices : new int[n * k];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < k; f++) {
                double v = in.get(i * (numeric + k) + numeric + f);
                int r = (int) v;
                if (r != v || r < 0 || r > fields.get(f).cardinality()) {
                    throw new IllegalArgumentException("category index of field '" + fields.get(f).name()
                            + "' must be an integer in [0, " + fields.get(f).cardinality() + "], got " + v);
                }
                idx[i * k + f] = r;
            }
        }
        indices = idx;
        rows = n;
        INDArray y = scratch.get("y", n, outputWidth);
        NumericBuffer out = NumericBuffer.of(y);
        for (int i = 0; i < n; i++) {
            int o = i * outputWidth;
            for (int j = 0; j < numeric; j++) {
                out.set(o + j, in.get(i * (numeric + k) + j));
            }
            int col = numeric;
            for (int f = 0; f < k; f++) {
                int dim = fields.get(f).dimension();
                int row = idx[i * k + f] * dim;
                for (int j = 0; j < dim; j++) {
                    out.set(o + col + j, tables[f].get(row + j));
                }
                col += dim;
            }
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        int k = fields.size();
        NumericBuffer g = NumericBuffer.of(gradOutput);
        for (NumericBuffer grad : tableGrads) {
            grad.fill(0.0);
        }
        for (int i = 0; i < rows; i++) {
            int col = numeric;
            for (int f = 0; f < k; f++) {
                int dim = fields.get(f).dimension();
                int row = indices[i * k + f] * dim;
                for (int j = 0; j < dim; j++) {
                    tableGrads[f].set(row + j, tableGrads[f].get(row + j) + g.get(i * outputWidth + col + j));
                }
                col += dim;
            }
        }
        return null;
    }
}
