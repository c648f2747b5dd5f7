package org.streamingmlp.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes deployment of k8s/, as {@code kubectl kustomize} renders each overlay: valid API objects, pods
 * that meet the restricted Pod Security Standard, and names (probe paths, ports, environment variables, topics,
 * image tags) that are the application's own. Needs kubectl (or kustomize): without it these tests are skipped
 * with the reason, unless MANIFEST_TOOLS_REQUIRED=1 (.ci/run) makes that a failure.
 */
class KubernetesManifestsTest {

    private static ServiceConfiguration config;

    @BeforeAll
    static void readTheApplicationsConfiguration() throws IOException {
        config = new ServiceConfiguration(Manifests.REPOSITORY);
    }

    static Stream<String> overlays() throws IOException {
        return Manifests.overlays();
    }

    @Test
    void theOverlaysAreDevProductionAndStrimzi() throws IOException {
        assertEquals(List.of("dev", "production", "strimzi"), Manifests.overlays().toList());
        assertFalse(Files.exists(Manifests.REPOSITORY.resolve("k8s/streaming-mlp.yaml")),
                "the single-Deployment manifest is replaced by k8s/base and its overlays");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectIsAValidKubernetesObject(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        List<String> problems = objects.stream().flatMap(o -> ApiSchemas.problems(o).stream()).toList();
        assertEquals(List.of(), problems, overlay);

        Map<String, Long> kinds = objects.stream()
                .collect(Collectors.groupingBy(o -> o.get("kind").toString(), Collectors.counting()));
        Map<String, Long> expected = new HashMap<>(Map.of("Namespace", 1L, "ConfigMap", 1L, "Service", 2L,
                "StatefulSet", 1L, "Deployment", 1L, "HorizontalPodAutoscaler", 1L, "PodDisruptionBudget", 1L,
                "NetworkPolicy", 1L));
        if (!overlay.equals("dev")) {
            expected.put("ServiceMonitor", 1L);
        }
        if (overlay.equals("strimzi")) {
            expected.put("KafkaTopic", 7L);
        }
        assertEquals(expected, kinds, overlay);
        String namespace = Yamls.string(Manifests.ofKind(objects, "Namespace").get(0), "metadata", "name");
        objects.stream().filter(o -> !"Namespace".equals(o.get("kind")) && !"KafkaTopic".equals(o.get("kind")))
                .forEach(o -> assertEquals(namespace, Yamls.string(o, "metadata", "namespace"),
                        overlay + ": " + o.get("kind") + " outside the overlay's namespace"));
        assertEquals("restricted", Yamls.string(Manifests.ofKind(objects, "Namespace").get(0),
                "metadata", "labels", "pod-security.kubernetes.io/enforce"), "the namespace enforces the profile");
    }

    /** The restricted profile of the Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards). */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodMeetsTheRestrictedPodSecurityStandard(String overlay) {
        Set<String> allowedVolumes = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                "persistentVolumeClaim", "projected", "secret");
        List<String> problems = new ArrayList<>();
        for (PodTemplate pod : PodTemplate.of(Manifests.render(overlay))) {
            Map<String, Object> spec = pod.spec();
            Map<String, Object> podSecurity = Yamls.map(spec, "securityContext");
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(spec.get(host))) {
                    problems.add(pod.workload() + ": " + host);
                }
            }
            for (Map<String, Object> volume : Yamls.list(spec, "volumes")) {
                volume.keySet().stream().filter(k -> !k.equals("name") && !allowedVolumes.contains(k))
                        .forEach(k -> problems.add(pod.workload() + ": volume type " + k));
            }
            for (Map<String, Object> container : pod.containers()) {
                String where = pod.workload() + " container " + container.get("name") + ": ";
                Map<String, Object> security = Yamls.map(container, "securityContext");
                Object runAsNonRoot = security.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot"));
                Object runAsUser = security.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                Object seccomp = Yamls.at(security.containsKey("seccompProfile") ? security : podSecurity,
                        "seccompProfile", "type");
                check(problems, Boolean.TRUE.equals(runAsNonRoot), where + "runAsNonRoot is not true");
                check(problems, runAsUser instanceof Integer uid && uid > 0,
                        where + "no non-root runAsUser (the kubelet can verify a numeric one only)");
                check(problems, "RuntimeDefault".equals(seccomp), where + "seccompProfile is not RuntimeDefault");
                check(problems, Boolean.FALSE.equals(security.get("allowPrivilegeEscalation")),
                        where + "allowPrivilegeEscalation is not false");
                check(problems, !Boolean.TRUE.equals(security.get("privileged")), where + "privileged");
                check(problems, Objects.equals(List.of("ALL"), Yamls.at(security, "capabilities", "drop")),
                        where + "capabilities do not drop ALL");
                check(problems, Yamls.at(security, "capabilities", "add") == null, where + "adds capabilities");
                check(problems, Boolean.TRUE.equals(security.get("readOnlyRootFilesystem")),
                        where + "the root filesystem is writable");
                Yamls.list(container, "ports").stream().filter(p -> p.containsKey("hostPort"))
                        .forEach(p -> problems.add(where + "hostPort " + p.get("hostPort")));
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    /** With a read-only root filesystem, every path the JVM writes must be a writable volume. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theJvmWritesOnlyToVolumesAndFitsItsMemoryLimit(String overlay) {
        for (PodTemplate pod : PodTemplate.of(Manifests.render(overlay))) {
            for (Map<String, Object> container : pod.containers()) {
                String where = pod.workload() + ": ";
                String javaOpts = env(container).get("JAVA_OPTS");
                assertNotNull(javaOpts, where + "no JAVA_OPTS: the image's sizing would not match the limits");
                Set<String> writable = Yamls.list(container, "volumeMounts").stream()
                        .filter(m -> !Boolean.TRUE.equals(m.get("readOnly")))
                        .map(m -> m.get("mountPath").toString()).collect(Collectors.toSet());
                String cache = option(javaOpts, "-Dorg.bytedeco.javacpp.cachedir=");
                assertTrue(writable.contains(cache), where + "the JavaCPP cache " + cache + " is not a writable volume");
                assertTrue(writable.contains("/tmp"), where + "/tmp is not a writable volume");
                String tmpdir = option(javaOpts, "-Djava.io.tmpdir=");
                assertTrue(tmpdir == null || writable.contains(tmpdir), where + "java.io.tmpdir is not writable");

                long heap = bytes(option(javaOpts, "-Xmx"));
                // the heap is claimed whole at start (docker/Dockerfile says why): resident memory is flat
                assertEquals(heap, bytes(option(javaOpts, "-Xms")), where + "-Xms differs from -Xmx");
                assertTrue(List.of(javaOpts.split("\\s+")).contains("-XX:+AlwaysPreTouch"),
                        where + "the heap is not pre-touched (-XX:+AlwaysPreTouch)");
                long physical = bytes(option(javaOpts, "-Dorg.bytedeco.javacpp.maxPhysicalBytes="));
                long limit = Quantity.getAmountInBytes(new Quantity(Yamls.string(container, "resources", "limits",
                        "memory"))).longValueExact();
                long request = Quantity.getAmountInBytes(new Quantity(Yamls.string(container, "resources",
                        "requests", "memory"))).longValueExact();
                // maxPhysicalBytes bounds the whole process (heap, off-heap buffers, natives): inside the limit.
                assertTrue(heap < physical && physical < limit && request <= limit,
                        where + "-Xmx " + heap + " < maxPhysicalBytes " + physical + " < memory limit " + limit
                                + ", request " + request + " <= limit");
                assertNotNull(Yamls.at(container, "resources", "limits", "cpu"), where + "no CPU limit");
                assertNotNull(Yamls.at(container, "resources", "requests", "cpu"), where + "no CPU request");
            }
        }
    }

    /** Probes and scraping reach the management interface on the paths Quarkus serves (application.properties). */
    @ParameterizedTest
    @MethodSource("overlays")
    void probesAndPortsAreTheApplications(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        int management = config.managementPort();
        Map<String, String> probes = Map.of("startupProbe", config.healthPath("started"),
                "readinessProbe", config.healthPath("ready"), "livenessProbe", config.healthPath("live"));
        List<PodTemplate> pods = PodTemplate.of(objects);
        for (PodTemplate pod : pods) {
            Map<String, Object> container = Yamls.list(pod.spec(), "containers").get(0);
            assertEquals(config.httpPort(), PodTemplate.port(container, "http"), pod.workload() + " http port");
            assertEquals(management, PodTemplate.port(container, "management"), pod.workload() + " management port");
            probes.forEach((probe, path) -> {
                assertEquals(path, Yamls.string(container, probe, "httpGet", "path"), pod.workload() + " " + probe);
                assertEquals(management, PodTemplate.port(container, Yamls.at(container, probe, "httpGet", "port")),
                        pod.workload() + " " + probe + " port");
            });
            Map<String, Object> annotations = Yamls.map(pod.template(), "metadata", "annotations");
            assertEquals("true", annotations.get("prometheus.io/scrape"), pod.workload());
            assertEquals(String.valueOf(management), annotations.get("prometheus.io/port"), pod.workload());
            assertEquals(config.metricsPath(), annotations.get("prometheus.io/path"), pod.workload());
        }
        for (Map<String, Object> service : Manifests.ofKind(objects, "Service")) {
            String name = Yamls.string(service, "metadata", "name");
            List<PodTemplate> selected = pods.stream().filter(p -> p.selectedBy(Yamls.map(service, "spec", "selector")))
                    .toList();
            assertEquals(1, selected.size(), "Service " + name + " selects the pods of one workload");
            Map<String, Object> container = Yamls.list(selected.get(0).spec(), "containers").get(0);
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (Map<String, Object> port : Yamls.list(service, "spec", "ports")) {
                ports.put(port.get("name").toString(), (Integer) port.get("port"));
                assertNotNull(PodTemplate.port(container, port.get("targetPort")),
                        "Service " + name + ": targetPort " + port.get("targetPort") + " is no container port");
            }
            assertEquals(Map.of("http", config.httpPort(), "management", management), ports, "Service " + name);
        }
        for (Map<String, Object> monitor : Manifests.ofKind(objects, "ServiceMonitor")) {
            assertTrue(Manifests.ofKind(objects, "Service").stream().allMatch(s -> Yamls.map(s, "metadata", "labels")
                    .entrySet().containsAll(Yamls.map(monitor, "spec", "selector", "matchLabels").entrySet())),
                    "the ServiceMonitor selects both Services");
            for (Map<String, Object> endpoint : Yamls.list(monitor, "spec", "endpoints")) {
                assertEquals("management", endpoint.get("port"));
                assertEquals(config.metricsPath(), endpoint.get("path"));
            }
        }
    }

    /**
     * Every environment variable of a pod is a setting the application reads: MLP_* a key of ServiceConfig (or one
     * issue #10 adds, {@link ServiceConfiguration#PENDING_KEYS}), KAFKA_* one application.properties reads.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void environmentVariablesNameTheApplicationsSettings(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        List<String> unknown = new ArrayList<>();
        for (PodTemplate pod : PodTemplate.of(objects)) {
            for (Map<String, Object> container : pod.containers()) {
                envNames(objects, container).stream().filter(name -> !config.isSetting(name))
                        .forEach(name -> unknown.add(pod.workload() + ": " + name));
            }
        }
        assertEquals(List.of(), unknown, overlay + ": environment variables that set nothing");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theTrainerIsOnePodWithItsCheckpointsOnAPersistentVolume(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        Map<String, Object> trainer = Manifests.ofKind(objects, "StatefulSet").get(0);
        assertEquals(1, Yamls.at(trainer, "spec", "replicas"), "exactly one trainer");
        PodTemplate pod = PodTemplate.of(List.of(trainer)).get(0);
        Map<String, Object> container = Yamls.list(pod.spec(), "containers").get(0);
        Map<String, String> env = env(container);
        assertEquals("trainer", env.get("MLP_ROLE"));

        String checkpointKey = config.checkpointDirectoryKey();
        String dir = env.get(ServiceConfiguration.environmentVariable(checkpointKey));
        assertEquals("/var/lib/streaming-mlp/checkpoints", dir, "checkpoints on: " + checkpointKey);
        Set<String> claims = Yamls.list(trainer, "spec", "volumeClaimTemplates").stream()
                .map(c -> Yamls.string(c, "metadata", "name")).collect(Collectors.toSet());
        assertTrue(Yamls.list(container, "volumeMounts").stream()
                        .anyMatch(m -> dir.equals(m.get("mountPath")) && claims.contains(m.get("name"))),
                "the checkpoint directory is a PersistentVolumeClaim of the StatefulSet");
        assertNotNull(Yamls.at(pod.spec(), "securityContext", "fsGroup"), "fsGroup makes the volume writable");
        // mlp.training.shutdown-grace (the last checkpoint at SIGTERM) must fit the pod's grace period.
        long grace = java.time.Duration.parse("PT" + config.defaultOf("mlp.training.shutdown-grace").toUpperCase())
                .toSeconds();
        assertTrue(grace < (Integer) pod.spec().get("terminationGracePeriodSeconds"),
                "shutdown-grace " + grace + " s < terminationGracePeriodSeconds");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void predictorsScaleUnderAnAutoscalerAndADisruptionBudget(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        Map<String, Object> predictor = Manifests.ofKind(objects, "Deployment").get(0);
        String name = Yamls.string(predictor, "metadata", "name");
        assertFalse(Yamls.map(predictor, "spec").containsKey("replicas"), "the autoscaler owns the replica count");
        assertEquals(0, Yamls.at(predictor, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                "a rollout removes an old predictor only once a new one is ready");
        PodTemplate pod = PodTemplate.of(List.of(predictor)).get(0);
        Map<String, Object> container = Yamls.list(pod.spec(), "containers").get(0);
        assertEquals("predictor", env(container).get("MLP_ROLE"));
        Map<String, Object> instanceId = Yamls.list(container, "env").stream()
                .filter(e -> "MLP_INSTANCE_ID".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("metadata.name", Yamls.string(instanceId, "valueFrom", "fieldRef", "fieldPath"),
                "every predictor has its own instance id (its transactional id's suffix)");

        Map<String, Object> hpa = Manifests.single(objects, "HorizontalPodAutoscaler", name);
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", name),
                Yamls.map(hpa, "spec", "scaleTargetRef"));
        int min = (Integer) Yamls.at(hpa, "spec", "minReplicas");
        int max = (Integer) Yamls.at(hpa, "spec", "maxReplicas");
        assertTrue(1 <= min && min <= max, "minReplicas " + min + " <= maxReplicas " + max);
        Map<String, Object> pdb = Manifests.single(objects, "PodDisruptionBudget", name);
        assertTrue(pod.selectedBy(Yamls.map(pdb, "spec", "selector", "matchLabels")), "the PDB covers the predictors");
        assertEquals(1, Yamls.at(pdb, "spec", "maxUnavailable"), "drains take one predictor at a time");
        Map<String, Object> policy = Manifests.ofKind(objects, "NetworkPolicy").get(0);
        PodTemplate.of(objects).forEach(p -> assertTrue(p.selectedBy(Yamls.map(policy, "spec", "podSelector",
                "matchLabels")), "the NetworkPolicy covers " + p.workload()));
    }

    /** The NetworkPolicy lets the pods reach the brokers the ConfigMap names, and DNS. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theNetworkPolicyLetsThePodsReachKafka(String overlay) {
        List<Map<String, Object>> objects = Manifests.render(overlay);
        Map<String, Object> policy = Manifests.ofKind(objects, "NetworkPolicy").get(0);
        assertEquals(List.of("Ingress", "Egress"), Yamls.at(policy, "spec", "policyTypes"));
        Set<Object> egressPorts = Yamls.list(policy, "spec", "egress").stream()
                .flatMap(rule -> Yamls.list(rule, "ports").stream()).map(p -> p.get("port")).collect(Collectors.toSet());
        String bootstrap = Yamls.string(Manifests.ofKind(objects, "ConfigMap").get(0), "data", "KAFKA_BOOTSTRAP_SERVERS");
        assertNotNull(bootstrap);
        for (String server : bootstrap.split(",")) {
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertTrue(egressPorts.contains(port), overlay + ": egress to Kafka port " + port);
        }
        assertTrue(egressPorts.contains(53), "DNS");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void imagesAreTaggedWithTheProjectVersion(String overlay) throws IOException {
        String version = ProjectVersion.read(Manifests.REPOSITORY);
        for (PodTemplate pod : PodTemplate.of(Manifests.render(overlay))) {
            for (Map<String, Object> container : pod.containers()) {
                String image = container.get("image").toString();
                assertTrue(image.matches(".*streaming-mlp:" + Pattern.quote(version)),
                        pod.workload() + ": image " + image + " is not tagged " + version);
            }
        }
    }

    @Test
    void strimziTopicsAreTheServicesTopics() {
        List<Map<String, Object>> objects = Manifests.render("strimzi");
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        Manifests.ofKind(objects, "KafkaTopic").forEach(t -> topics.put(Yamls.string(t, "spec", "topicName"), t));
        Set<String> expected = new LinkedHashSet<>();
        for (String topic : List.of("train", "validation", "predict", "predictions", "metrics", "dlq")) {
            expected.add(config.defaultOf("mlp.topics." + topic));
        }
        String modelTopic = config.defines("mlp.topics.model") ? config.defaultOf("mlp.topics.model")
                : ServiceConfiguration.PENDING_MODEL_TOPIC;
        expected.add(modelTopic);
        assertEquals(expected, topics.keySet());
        assertEquals("compact", Yamls.string(topics.get(modelTopic), "spec", "config", "cleanup.policy"),
                "the model topic keeps the newest snapshot per key");
        assertEquals(1, Yamls.at(topics.get(modelTopic), "spec", "partitions"), "one partition: one order of versions");
        int predictPartitions = (Integer) Yamls.at(topics.get(config.defaultOf("mlp.topics.predict")), "spec",
                "partitions");
        int maxPredictors = (Integer) Yamls.at(Manifests.ofKind(objects, "HorizontalPodAutoscaler").get(0),
                "spec", "maxReplicas");
        assertTrue(maxPredictors <= predictPartitions,
                "every predictor can own a partition of the request topic: " + maxPredictors + " <= " + predictPartitions);
        Map<String, Object> settings = Yamls.map(Manifests.ofKind(objects, "ConfigMap").get(0), "data");
        assertEquals("false", settings.get(ServiceConfiguration.environmentVariable("mlp.topics.create")),
                "the topic operator owns the topics");
    }

    /**
     * Names issue #10 adds that this branch could not find in the code stay listed as pending in
     * ServiceConfiguration; once the code has one, the list must drop it, so that the real name is checked.
     */
    @Test
    void pendingNamesAreStillMissingFromTheCode() {
        List<String> arrived = new ArrayList<>();
        ServiceConfiguration.PENDING_KEYS.stream().filter(config::defines).forEach(arrived::add);
        assertEquals(List.of(), arrived, "now defined by the application: remove them from the PENDING_* lists of"
                + " ServiceConfiguration, so that the manifests are checked against them");
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** A container's literal environment ({@code value}s; a ConfigMap's entries are not included). */
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        Yamls.list(container, "env").forEach(e -> env.put(e.get("name").toString(), Yamls.string(e, "value")));
        return env;
    }

    /** Every variable a container gets: env, and the entries of the ConfigMaps of envFrom (no Secret: keys unseen). */
    private static Set<String> envNames(List<Map<String, Object>> objects, Map<String, Object> container) {
        Set<String> names = new LinkedHashSet<>(env(container).keySet());
        for (Map<String, Object> from : Yamls.list(container, "envFrom")) {
            String configMap = Yamls.string(from, "configMapRef", "name");
            assertNotNull(configMap, "envFrom a Secret hides the variable names: use env with secretKeyRef");
            names.addAll(Yamls.map(Manifests.single(objects, "ConfigMap", configMap), "data").keySet());
        }
        return names;
    }

    private static String option(String javaOpts, String prefix) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(prefix) + "(\\S+)").matcher(javaOpts);
        return m.find() ? m.group(1) : null;
    }

    /** A JVM size: {@code 512m}, {@code 3g}, {@code 1536m}. */
    static long bytes(String size) {
        assertNotNull(size, "a JVM memory option is missing");
        Matcher m = Pattern.compile("(\\d+)([kKmMgG]?)").matcher(size);
        assertTrue(m.matches(), "not a JVM size: " + size);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }
}
