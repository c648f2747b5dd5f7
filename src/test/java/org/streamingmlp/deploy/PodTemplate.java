package org.streamingmlp.deploy;

import java.util.List;
import java.util.Map;

/** The pod template of a workload (Deployment, StatefulSet) in rendered manifests. */
record PodTemplate(String workload, Map<String, Object> object, Map<String, Object> template) {

    static List<PodTemplate> of(List<Map<String, Object>> objects) {
        return objects.stream()
                .filter(o -> List.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(o.get("kind")))
                .map(o -> new PodTemplate(o.get("kind") + " " + Yamls.string(o, "metadata", "name"), o,
                        Yamls.map(o, "spec", "template")))
                .toList();
    }

    Map<String, Object> spec() {
        return Yamls.map(template, "spec");
    }

    Map<String, Object> labels() {
        return Yamls.map(template, "metadata", "labels");
    }

    /** Init containers and containers. */
    List<Map<String, Object>> containers() {
        return java.util.stream.Stream.concat(Yamls.list(spec(), "initContainers").stream(),
                Yamls.list(spec(), "containers").stream()).toList();
    }

    /** Whether a label selector ({@code matchLabels} or a Service's plain map) selects this template's pods. */
    boolean selectedBy(Map<String, Object> selector) {
        return !selector.isEmpty() && selector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels().get(e.getKey())));
    }

    /** A container's port number for a name or number ({@code http}, {@code 9000}); null if it has none. */
    static Integer port(Map<String, Object> container, Object nameOrNumber) {
        for (Map<String, Object> port : Yamls.list(container, "ports")) {
            if (nameOrNumber.equals(port.get("name")) || nameOrNumber.equals(port.get("containerPort"))) {
                return (Integer) port.get("containerPort");
            }
        }
        return null;
    }
}
