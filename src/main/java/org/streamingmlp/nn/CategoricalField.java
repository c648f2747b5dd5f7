package org.streamingmlp.nn;

import java.util.regex.Pattern;

/**
 * A categorical input field learned through its own embedding table {@code emb.<name>.weight
 * [cardinality + 1, dimension]}. Row 0 is reserved for categories the model was not configured with (unseen or
 * unknown); the known categories use rows {@code 1..cardinality}. An example carries one index per field in
 * {@code [0, cardinality]}.
 *
 * @param name        field name, used in the parameter name; letters, digits, '_' and '-' only (no dots)
 * @param cardinality number of known categories, at least 1 and below 2^24 - 1 (indices travel as exact floats)
 * @param dimension   width of the field's embedding vector, at least 1
 */
public record CategoricalField(String name, int cardinality, int dimension) {

    /** Index of the row that stands for every category not among the known ones. */
    public static final int UNSEEN = 0;
    /** Largest index a float represents exactly, plus one: the table may have at most this many rows. */
    static final int MAX_ROWS = 1 << 24;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    public CategoricalField {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("mlp.features.categorical field names must be non-empty and use only "
                    + "letters, digits, '_' and '-', got '" + name + "'");
        }
        if (cardinality < 1 || cardinality >= MAX_ROWS - 1) {
            throw new IllegalArgumentException("mlp.features.categorical." + name + " must have between 1 and "
                    + (MAX_ROWS - 2) + " categories, got " + cardinality);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("mlp.features.categorical." + name + ".dimension must be >= 1, got "
                    + dimension);
        }
    }

    /** Rows of the embedding table: the known categories plus the reserved unseen row. */
    public int rows() {
        return cardinality + 1;
    }

    /** The PyTorch-style parameter name of the table, {@code emb.<name>}. */
    public String parameterPrefix() {
        return "emb." + name;
    }
}
