package org.streamingmlp.testing;

import java.util.Map;
import java.util.Optional;

import org.streamingmlp.broker.EmbeddedKafkaBroker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Kafka broker for {@code @QuarkusTest}s: a Testcontainers {@code apache/kafka:4.1.2} container if a Docker engine
 * answers, otherwise the in-JVM {@link EmbeddedKafkaBroker} on a free port.
 *
 * <p>Attach once and share it with every test class of the run:
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
 * class SomeTest { ... }
 * }</pre>
 * ({@code WithTestResource} in Quarkus 3.33 has {@code scope} instead of {@code restrictToAnnotatedClass};
 * {@code GLOBAL} starts the resource once for all tests, like the old {@code restrictToAnnotatedClass = false}.)
 *
 * <p>Init args (optional): {@code mode} = {@code auto} (default) | {@code embedded} | {@code container};
 * the system property {@code mlp.test.kafka} does the same for a whole run.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String IMAGE = "apache/kafka:4.1.2";
    /** System property holding the current address, readable from any class loader of the test JVM. */
    public static final String ADDRESS_PROPERTY = "mlp.test.kafka.bootstrap-servers";

    private static volatile String currentBootstrapServers;

    private String mode = "auto";
    private EmbeddedKafkaBroker embedded;
    private AutoCloseable container;

    /**
     * The running broker's {@code bootstrap.servers}, for test code that makes its own producers/consumers.
     * Falls back to a system property because Quarkus may load this class in a different class loader than the test.
     */
    public static String bootstrapServers() {
        String address = currentBootstrapServers;
        if (address == null) {
            address = System.getProperty(ADDRESS_PROPERTY);
        }
        if (address == null) {
            throw new IllegalStateException("No Kafka test broker is running (is the test annotated with "
                    + "@WithTestResource(KafkaBrokerResource.class)?)");
        }
        return address;
    }

    public static Optional<String> currentBootstrapServers() {
        return Optional.ofNullable(currentBootstrapServers != null ? currentBootstrapServers
                : System.getProperty(ADDRESS_PROPERTY));
    }

    @Override
    public void init(Map<String, String> initArgs) {
        mode = initArgs.getOrDefault("mode", System.getProperty("mlp.test.kafka", "auto"));
    }

    @Override
    public Map<String, String> start() {
        String address;
        if (!"embedded".equals(mode) && ("container".equals(mode) || dockerAvailable())) {
            address = startContainer();
        } else {
            embedded = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
            address = embedded.bootstrapServers();
        }
        currentBootstrapServers = address;
        System.setProperty(ADDRESS_PROPERTY, address);
        // Test and production builds have no local broker (LocalBrokerLauncher is a dev-mode-only bean): nothing to disable.
        return Map.of("kafka.bootstrap.servers", address);
    }

    @Override
    public void stop() {
        currentBootstrapServers = null;
        System.clearProperty(ADDRESS_PROPERTY);
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
        if (container != null) {
            try {
                container.close();
            } catch (Exception e) {
                throw new IllegalStateException("Could not stop the Kafka container", e);
            }
            container = null;
        }
    }

    private static boolean dockerAvailable() {
        if (!dockerConfigured()) {
            return false; // skip Testcontainers' probe, which logs an ERROR when there is no engine
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** Cheap hint that a Docker (or Podman) engine may be reachable: a socket, DOCKER_HOST or a Testcontainers config. */
    private static boolean dockerConfigured() {
        String home = System.getProperty("user.home", "");
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"))
                || (runtimeDir != null && (java.nio.file.Files.exists(java.nio.file.Path.of(runtimeDir, "docker.sock"))
                        || java.nio.file.Files.exists(java.nio.file.Path.of(runtimeDir, "podman", "podman.sock"))));
    }

    private String startContainer() {
        org.testcontainers.kafka.KafkaContainer kafka = new org.testcontainers.kafka.KafkaContainer(IMAGE);
        kafka.start();
        container = kafka;
        return kafka.getBootstrapServers();
    }
}
