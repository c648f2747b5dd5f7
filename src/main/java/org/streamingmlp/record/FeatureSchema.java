package org.streamingmlp.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.streamingmlp.nn.CategoricalField;

/**
 * Named input fields ({@code mlp.features.*}): numeric fields, in the configured order, become the model's numeric
 * features; categorical fields, in alphabetical order of their names, become category indices for the model's
 * embedding tables. A categorical field's configured values map to indices {@code 1..n} in the order listed;
 * any other value maps to {@link CategoricalField#UNSEEN} (0), the table's reserved row. Immutable.
 */
public final class FeatureSchema {

    /** One categorical field: its known values (order gives the indices 1..n) and its embedding width. */
    public record Categorical(String name, List<String> values, int dimension) {
        public Categorical {
            values = List.copyOf(values);
        }
    }

    private final List<String> numeric;
    private final List<Categorical> categorical;
    private final List<Map<String, Integer>> indices;

    /**
     * @param numeric     numeric field names ({@code mlp.features.numeric}), unique
     * @param categorical categorical fields by name ({@code mlp.features.categorical.<name>.values} and
     *                    {@code .dimension}); each needs at least one value, values unique
     * @throws IllegalArgumentException naming the key of the first bad setting
     */
    public FeatureSchema(List<String> numeric, Map<String, Categorical> categorical) {
        Set<String> names = new HashSet<>();
        for (String name : numeric) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("mlp.features.numeric names must not be blank, got " + numeric);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("mlp.features.numeric names '" + name + "' twice");
            }
        }
        this.numeric = List.copyOf(numeric);
        List<String> sorted = new ArrayList<>(categorical.keySet());
        Collections.sort(sorted);
        List<Categorical> fields = new ArrayList<>();
        List<Map<String, Integer>> maps = new ArrayList<>();
        for (String name : sorted) {
            Categorical field = categorical.get(name);
            if (!names.add(name)) {
                throw new IllegalArgumentException("mlp.features.categorical." + name
                        + " has the name of a numeric field (mlp.features.numeric)");
            }
            if (field.values().isEmpty()) {
                throw new IllegalArgumentException("mlp.features.categorical." + name + ".values must list at least "
                        + "one category");
            }
            Map<String, Integer> index = new HashMap<>();
            for (String value : field.values()) {
                if (index.putIfAbsent(value, index.size() + 1) != null) {
                    throw new IllegalArgumentException("mlp.features.categorical." + name + ".values lists '" + value
                            + "' twice");
                }
            }
            new CategoricalField(name, field.values().size(), field.dimension());   // checks name and dimension
            fields.add(field);
            maps.add(Map.copyOf(index));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a feature schema needs at least one field in mlp.features.numeric "
                    + "or mlp.features.categorical");
        }
        this.categorical = List.copyOf(fields);
        this.indices = List.copyOf(maps);
    }

    /** Numeric field names, in the order of the model's numeric features. */
    public List<String> numeric() {
        return numeric;
    }

    /** Categorical fields in alphabetical order of name: the order of the model's category indices. */
    public List<Categorical> categorical() {
        return categorical;
    }

    public boolean hasCategorical() {
        return !categorical.isEmpty();
    }

    /** The core's view: one embedding table per categorical field, in the same order. */
    public List<CategoricalField> categoricalFields() {
        List<CategoricalField> fields = new ArrayList<>();
        for (Categorical c : categorical) {
            fields.add(new CategoricalField(c.name(), c.values().size(), c.dimension()));
        }
        return fields;
    }

    /** The index of {@code value} in categorical field {@code k}: 1..n for a known value, 0 (unseen) otherwise. */
    public int index(int k, String value) {
        return indices.get(k).getOrDefault(value, CategoricalField.UNSEEN);
    }
}
