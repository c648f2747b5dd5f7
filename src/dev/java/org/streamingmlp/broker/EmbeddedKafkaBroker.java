package org.streamingmlp.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (kafka_2.13 4.1.x) running inside this JVM: one node in KRaft combined mode
 * (broker + controller), storage formatted programmatically at the latest production metadata version.
 *
 * <p>Free of Quarkus imports, usable from plain tests:
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults())) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Dev-only code ({@code src/dev/java}): used by dev mode's {@link LocalBrokerLauncher} and by the tests, left out of
 * the packaged application. Needs the Kafka server jars on the classpath (Maven scope {@code provided}: compile, tests,
 * {@code quarkus:dev}). Kafka server classes are referenced only from {@link KafkaNode}, so they are loaded only when
 * {@link #start(Settings)} is called.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The class whose presence tells whether the Kafka server jars are on the classpath. */
    public static final String SERVER_CLASS = "kafka.server.KafkaRaftServer";

    /**
     * @param host              host name to bind and advertise (e.g. {@code localhost})
     * @param port              broker (client) port; 0 picks a free port
     * @param logDir            data directory; {@code null} means a fresh temporary directory deleted on {@link #close()}.
     *                          An existing, already formatted directory is reused (topics and offsets survive restarts).
     * @param defaultPartitions {@code num.partitions} for auto-created topics
     */
    public record Settings(String host, int port, Path logDir, int defaultPartitions) {
        public Settings {
            if (host == null || host.isBlank()) {
                host = "localhost";
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be >= 1: " + defaultPartitions);
            }
        }

        /** localhost, free port, temporary directory, 1 partition. */
        public static Settings defaults() {
            return new Settings("localhost", 0, null, 1);
        }

        public Settings withHost(String host) {
            return new Settings(host, port, logDir, defaultPartitions);
        }

        public Settings withPort(int port) {
            return new Settings(host, port, logDir, defaultPartitions);
        }

        public Settings withLogDir(Path logDir) {
            return new Settings(host, port, logDir, defaultPartitions);
        }

        public Settings withDefaultPartitions(int defaultPartitions) {
            return new Settings(host, port, logDir, defaultPartitions);
        }
    }

    private final KafkaNode node;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaNode node) {
        this.node = node;
    }

    /** True if the Kafka server classes are on the given class loader's classpath. */
    public static boolean serverClassesAvailable(ClassLoader loader) {
        try {
            Class.forName(SERVER_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Formats storage (if needed) and starts the broker; returns once it accepts clients. */
    public static EmbeddedKafkaBroker start(Settings settings) {
        long t0 = System.nanoTime();
        if (settings.port() != 0 && !KafkaNode.portFree(settings.host(), settings.port())) {
            throw new IllegalStateException("Could not start the embedded Kafka broker: " + settings.host() + ":"
                    + settings.port() + " is already in use (another Kafka broker running?)");
        }
        boolean temp = settings.logDir() == null;
        Path dir = null;
        KafkaNode node = null;
        try {
            dir = temp ? Files.createTempDirectory("embedded-kafka-") : settings.logDir().toAbsolutePath();
            int port = settings.port() == 0 ? KafkaNode.freePort(settings.host()) : settings.port();
            int controllerPort = KafkaNode.freePort(settings.host());
            KafkaNode.Spec spec = new KafkaNode.Spec(1, settings.host(), port, controllerPort, dir, temp);
            KafkaNode.ClusterSpec cluster = new KafkaNode.ClusterSpec(KafkaNode.existingClusterId(dir)
                    .orElseGet(() -> Uuid.randomUuid().toString()), List.of(spec),
                    settings.defaultPartitions(), (short) 1, 1);
            node = KafkaNode.create(cluster, spec);
            node.startup();
        } catch (Exception | LinkageError e) {
            if (node != null) {
                try {
                    node.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            } else if (temp && dir != null) {
                KafkaNode.deleteQuietly(dir);
            }
            throw new IllegalStateException("Could not start the embedded Kafka broker on " + settings.host() + ":"
                    + settings.port() + ": " + e, e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(node);
        LOG.info("Embedded Kafka broker (KRaft, node {}) listening on {} in {} ms; data in {}{}", node.nodeId,
                broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000, dir, temp ? " (temporary)" : "");
        return broker;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return node.bootstrapAddress();
    }

    public String host() {
        return node.host;
    }

    public int port() {
        return node.brokerPort;
    }

    public Path logDir() {
        return node.logDir;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops the broker, frees its ports and removes its temporary directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        node.stop();
        LOG.info("Embedded Kafka broker {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }
}
