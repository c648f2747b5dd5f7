package org.streamingmlp.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Checks objects against the Kubernetes API's types, with the fabric8 model: an object must bind to the class of
 * its apiVersion and kind (a string where a number belongs fails), carry no field its type does not have (fabric8
 * keeps unknown fields aside, in {@code additionalProperties}: any found, at any depth, is an error, so a misspelt
 * {@code readinesProbe} is caught), and every quantity ({@code 3Gi}, {@code 500m}) must parse.
 * Strimzi's KafkaTopic, which fabric8 does not model, is checked against the fields of its v1beta2 spec.
 */
final class ApiSchemas {

    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private static final String KAFKA_TOPIC = "kafka.strimzi.io/v1beta2/KafkaTopic";
    private static final Set<String> KAFKA_TOPIC_SPEC = Set.of("topicName", "partitions", "replicas", "config");

    /** Strict about scalars: the API server refuses {@code replicas: "1"}, so does this. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ApiSchemas() {
    }

    /** The problems of one object, each with its path; empty when it is valid. */
    static List<String> problems(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        String name = type + " " + Yamls.string(object, "metadata", "name");
        List<String> problems = new ArrayList<>();
        if (KAFKA_TOPIC.equals(type)) {
            kafkaTopic(name, object, problems);
            return problems;
        }
        Class<?> modelClass = TYPES.get(type);
        if (modelClass == null) {
            problems.add(name + ": no schema known for " + type + " (add its fabric8 class to ApiSchemas)");
            return problems;
        }
        Object model;
        try {
            model = MAPPER.convertValue(object, modelClass);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": does not bind to " + modelClass.getSimpleName() + ": " + e.getMessage());
            return problems;
        }
        walk(name, model, problems);
        return problems;
    }

    /** Every fabric8 object below {@code node}: unknown fields, and quantities that do not parse. */
    private static void walk(String path, Object node, List<String> problems) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path + "[" + i + "]", list.get(i), problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(path + "." + k, v, problems));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        if (node instanceof Quantity quantity) {
            try {
                Quantity.getAmountInBytes(quantity);
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(path + ": not a quantity: " + quantity);
            }
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + unknown.keySet() + " in "
                            + node.getClass().getSimpleName());
                }
                continue;
            }
            String property = getter.getName().replaceFirst("^(get|is)", "");
            walk(path + "." + Character.toLowerCase(property.charAt(0)) + property.substring(1), value, problems);
        }
    }

    private static void kafkaTopic(String name, Map<String, Object> topic, List<String> problems) {
        Map<String, Object> spec = Yamls.map(topic, "spec");
        spec.keySet().stream().filter(k -> !KAFKA_TOPIC_SPEC.contains(k))
                .forEach(k -> problems.add(name + ": unknown field spec." + k));
        for (String number : List.of("partitions", "replicas")) {
            if (!(spec.get(number) instanceof Integer n) || n < 1) {
                problems.add(name + ": spec." + number + " must be a positive integer, is " + spec.get(number));
            }
        }
        Yamls.map(spec, "config").forEach((k, v) -> {
            if (v instanceof Map || v instanceof List) {
                problems.add(name + ": spec.config." + k + " must be a scalar");
            }
        });
        if (Yamls.string(topic, "metadata", "labels", "strimzi.io/cluster") == null) {
            problems.add(name + ": no strimzi.io/cluster label: no topic operator would manage it");
        }
    }
}
