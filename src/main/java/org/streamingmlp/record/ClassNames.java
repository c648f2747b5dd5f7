package org.streamingmlp.record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of the classes ({@code mlp.model.class-names}): the i-th name is class index i. Labels may then be given
 * by name, and predictions carry the predicted class's name. Immutable.
 */
public final class ClassNames {

    private final List<String> names;
    private final Map<String, Integer> indices = new HashMap<>();

    /** @throws IllegalArgumentException naming {@code mlp.model.class-names} unless unique, non-blank, outputSize many */
    public ClassNames(List<String> names, int outputSize) {
        if (names.size() != outputSize) {
            throw new IllegalArgumentException("mlp.model.class-names must name exactly mlp.model.output-size ("
                    + outputSize + ") classes, got " + names.size() + ": " + names);
        }
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("mlp.model.class-names must not contain blank names: " + names);
            }
            if (indices.putIfAbsent(name, indices.size()) != null) {
                throw new IllegalArgumentException("mlp.model.class-names names '" + name + "' twice");
            }
        }
        this.names = List.copyOf(names);
    }

    /** The class index of {@code name}, or -1 when no class has that name. */
    public int indexOf(String name) {
        return indices.getOrDefault(name, -1);
    }

    /** The name of class {@code index}. */
    public String name(int index) {
        return names.get(index);
    }

    public List<String> names() {
        return names;
    }
}
