package org.streamingmlp.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile and docker/compose.yaml against the application: no Docker engine needed (none runs here), only
 * their text. The compose file's broker is the Kafka release of the client, it runs one trainer and two predictors
 * as Kubernetes runs them (read-only root filesystem, writable volumes), with environment variables and topics the
 * application reads, and the image tag is the project's version.
 */
class ContainerFilesTest {

    private static final Path REPOSITORY = Manifests.REPOSITORY;

    private static ServiceConfiguration config;
    private static Map<String, Object> compose;
    private static String version;

    @BeforeAll
    static void read() throws IOException {
        config = new ServiceConfiguration(REPOSITORY);
        compose = Manifests.parse(Files.readString(REPOSITORY.resolve("docker/compose.yaml"))).get(0);
        version = ProjectVersion.read(REPOSITORY);
    }

    @Test
    void theImageChoosesTheOpenBlasCoreTypeAndRunsReadOnly() throws IOException {
        String dockerfile = Files.readString(REPOSITORY.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.contains("ENTRYPOINT [\"/deployments/bin/openblas-coretype\""),
                "the entry point picks OPENBLAS_CORETYPE for the node's CPU");
        assertFalse(dockerfile.matches("(?s).*\\n\\s*OPENBLAS_CORETYPE=.*"), "no fixed OPENBLAS_CORETYPE");
        assertTrue(dockerfile.contains("COPY --chown=1001:0 bin/openblas-coretype"));
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(dockerfile);
        assertTrue(user.find() && user.group(1).matches("[1-9][0-9]*"),
                "a numeric non-root USER (runAsNonRoot can verify it)");
        String javaOpts = dockerfile.replaceAll("(?s).*JAVA_OPTS=\"([^\"]*)\".*", "$1");
        String cache = javaOpts.replaceAll(".*-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+).*", "$1");
        assertEquals("/var/cache/javacpp", cache, "the JavaCPP cache is a volume path, not under the read-only root");
        assertTrue(dockerfile.contains("mkdir -p " + cache), "the cache directory exists in the image, owned by the user");
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.*)$").matcher(dockerfile);
        assertTrue(expose.find());
        assertEquals(Set.of(String.valueOf(config.httpPort()), String.valueOf(config.managementPort())),
                Set.of(expose.group(1).trim().split("\\s+")));
    }

    @Test
    void theBrokerIsKafkaInKraftModeAtTheClientsVersion() {
        Map<String, Object> kafka = Yamls.map(compose, "services", "kafka");
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), kafka.get("image"),
                "the broker runs the release of the kafka-clients the service uses");
        Map<String, Object> env = Yamls.map(kafka, "environment");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), "KRaft, one node");
        assertTrue(env.get("KAFKA_ADVERTISED_LISTENERS").toString().contains("PLAINTEXT://kafka:9092"));
        assertNotNull(Yamls.at(kafka, "healthcheck", "test"), "the services start once the broker answers");
    }

    @Test
    void oneTrainerAndTwoPredictorsRunAsOnKubernetes() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        Set<String> instanceIds = new LinkedHashSet<>();
        for (var entry : services.entrySet()) {
            Map<String, Object> service = entry.getValue();
            if (!String.valueOf(service.get("image")).startsWith("streaming-mlp")) {
                continue;
            }
            String name = entry.getKey();
            assertEquals("streaming-mlp:" + version, service.get("image"), name + ": tagged with the project version");
            Map<String, String> env = environment(service);
            byRole.computeIfAbsent(env.get("MLP_ROLE"), r -> new ArrayList<>()).add(name);
            assertTrue(instanceIds.add(env.get("MLP_INSTANCE_ID")), name + ": an instance id of its own");
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name);
            assertEquals(Boolean.TRUE, service.get("read_only"), name + ": read-only root filesystem");
            assertEquals(List.of("ALL"), service.get("cap_drop"), name);
            assertTrue(Yamls.at(service, "tmpfs").toString().contains("/tmp"), name + ": /tmp writable");
            String cache = env.get("JAVA_OPTS").replaceAll(".*-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+).*", "$1");
            assertTrue(mounts(service).contains(cache), name + ": the JavaCPP cache " + cache + " is a volume");
            assertTrue(ports(service).contains(config.managementPort()), name + ": management port published");
            List<String> unknown = env.keySet().stream().filter(n -> !config.isSetting(n)).toList();
            assertEquals(List.of(), unknown, name + ": environment variables that set nothing");
            if ("trainer".equals(env.get("MLP_ROLE"))) {
                String dir = env.get(ServiceConfiguration.environmentVariable(config.checkpointDirectoryKey()));
                assertNotNull(dir, name + ": checkpoints on");
                assertTrue(mounts(service).contains(dir), name + ": checkpoints on a volume");
            }
        }
        assertEquals(Map.of("trainer", 1, "predictor", 2),
                byRole.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
    }

    /** The feeder streams the demo dataset with the demo script, to the service's topics. */
    @Test
    void theFeederStreamsTheDemoDatasetToTheServicesTopics() throws IOException {
        Map<String, Object> feeder = services().get("feeder");
        assertNotNull(feeder, "a feeder service");
        assertTrue(Files.isRegularFile(REPOSITORY.resolve("docker").resolve(Yamls.string(feeder, "build", "context"))
                .resolve(Yamls.string(feeder, "build", "dockerfile")).normalize()), "the feeder's Dockerfile exists");
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) feeder.get("command");
        Path script = REPOSITORY.resolve(command.get(0));
        assertTrue(Files.isExecutable(script), script + " runs");
        assertEquals("kafka:9092", command.get(1));
        Set<String> topics = new LinkedHashSet<>();
        Matcher topic = Pattern.compile("-t (\\S+)").matcher(Files.readString(script));
        while (topic.find()) {
            topics.add(topic.group(1));
        }
        Set<String> serviceTopics = new LinkedHashSet<>();
        for (String t : List.of("train", "validation", "predict", "predictions", "metrics")) {
            serviceTopics.add(config.defaultOf("mlp.topics." + t));
        }
        assertEquals(serviceTopics, topics, "the topics the demo script writes and reads");
    }

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        Yamls.map(compose, "services").forEach((name, s) -> services.put(name, Yamls.map(s)));
        return services;
    }

    /** The service's variables: its env_file(s) (relative to docker/), then its environment. */
    private static Map<String, String> environment(Map<String, Object> service) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Object files = service.get("env_file");
        for (Object file : files instanceof List<?> list ? list : files == null ? List.of() : List.of(files)) {
            for (String line : Files.readAllLines(REPOSITORY.resolve("docker").resolve(file.toString()).normalize())) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
        }
        Yamls.map(service, "environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static Set<String> mounts(Map<String, Object> service) {
        Object volumes = service.get("volumes");
        return ((List<?>) volumes).stream().map(v -> v.toString().split(":")[1]).collect(Collectors.toSet());
    }

    private static Set<Integer> ports(Map<String, Object> service) {
        return ((List<?>) service.get("ports")).stream()
                .map(p -> Integer.parseInt(p.toString().substring(p.toString().lastIndexOf(':') + 1)))
                .collect(Collectors.toSet());
    }
}
