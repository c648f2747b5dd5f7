package org.streamingmlp.deploy;

import java.util.List;
import java.util.Map;

/** Navigation in a parsed YAML tree: {@code at(pod, "spec", "securityContext")} is null where a step is missing. */
final class Yamls {

    private Yamls() {
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof List ? (List<Map<String, Object>>) value : List.of();
    }

    static String string(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : value.toString();
    }
}
