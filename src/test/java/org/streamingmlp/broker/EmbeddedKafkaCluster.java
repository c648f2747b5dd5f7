package org.streamingmlp.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N real Kafka nodes in this JVM, each in KRaft combined mode (broker + controller, all of them voters), for
 * replication and fail-over tests: e.g. 3 brokers, replication factor 3, {@code min.insync.replicas=2}, then
 * {@link #stopBroker(int)} one of them and keep producing with {@code acks=all}. A majority of the nodes must stay up
 * (the controllers share the nodes), so a 3-node cluster survives one stopped node.
 *
 * <p>Test-only: lives in the test sources (used by {@code EmbeddedKafkaClusterTest} and {@code PredictionFailuresIT}),
 * in the same package as the dev-only {@link KafkaNode} it is built from.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /**
     * @param host              host name to bind and advertise
     * @param brokers           number of nodes (each broker + controller)
     * @param replicationFactor default and internal-topic replication factor ({@code <= brokers})
     * @param minInsyncReplicas {@code min.insync.replicas} (also for the transaction state log)
     * @param defaultPartitions {@code num.partitions} of auto-created topics
     * @param baseDir           parent of the node directories; {@code null} means a temporary directory deleted on close
     */
    public record Settings(String host, int brokers, short replicationFactor, int minInsyncReplicas,
            int defaultPartitions, Path baseDir) {
        public Settings {
            if (host == null || host.isBlank()) {
                host = "localhost";
            }
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be >= 1: " + brokers);
            }
            if (replicationFactor < 1 || replicationFactor > brokers) {
                throw new IllegalArgumentException("replicationFactor must be in 1.." + brokers + ": " + replicationFactor);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
                throw new IllegalArgumentException(
                        "minInsyncReplicas must be in 1.." + replicationFactor + ": " + minInsyncReplicas);
            }
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be >= 1: " + defaultPartitions);
            }
        }

        /** 3 brokers, replication factor 3, min.insync.replicas 2, 1 partition, temporary directory. */
        public static Settings threeBrokers() {
            return new Settings("localhost", 3, (short) 3, 2, 1, null);
        }

        public Settings withDefaultPartitions(int defaultPartitions) {
            return new Settings(host, brokers, replicationFactor, minInsyncReplicas, defaultPartitions, baseDir);
        }
    }

    private final KafkaNode.ClusterSpec cluster;
    private final KafkaNode[] nodes;
    private final Path baseDir;
    private final boolean tempBaseDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(KafkaNode.ClusterSpec cluster, KafkaNode[] nodes, Path baseDir, boolean tempBaseDir) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.baseDir = baseDir;
        this.tempBaseDir = tempBaseDir;
    }

    public static EmbeddedKafkaCluster start(Settings settings) {
        long t0 = System.nanoTime();
        boolean temp = settings.baseDir() == null;
        Path base = null;
        KafkaNode[] nodes = new KafkaNode[settings.brokers()];
        try {
            base = temp ? Files.createTempDirectory("embedded-kafka-cluster-") : settings.baseDir().toAbsolutePath();
            List<KafkaNode.Spec> specs = new ArrayList<>();
            for (int i = 0; i < settings.brokers(); i++) {
                // node directories are kept when a single broker stops (it can be restarted); the cluster removes them
                specs.add(new KafkaNode.Spec(i + 1, settings.host(), KafkaNode.freePort(settings.host()),
                        KafkaNode.freePort(settings.host()), base.resolve("node-" + (i + 1)), false));
            }
            String clusterId = KafkaNode.existingClusterId(specs.get(0).logDir())
                    .orElseGet(() -> Uuid.randomUuid().toString());
            KafkaNode.ClusterSpec cluster = new KafkaNode.ClusterSpec(clusterId, List.copyOf(specs),
                    settings.defaultPartitions(), settings.replicationFactor(), settings.minInsyncReplicas());
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = KafkaNode.create(cluster, specs.get(i));
            }
            // KafkaRaftServer.startup() blocks until the broker is unfenced, which needs a controller quorum:
            // the nodes must start concurrently.
            startAll(nodes);
            EmbeddedKafkaCluster c = new EmbeddedKafkaCluster(cluster, nodes, base, temp);
            LOG.info("Embedded Kafka cluster of {} KRaft nodes listening on {} in {} ms; data in {}", nodes.length,
                    c.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000, base);
            return c;
        } catch (Exception | LinkageError e) {
            stopAll(nodes);
            if (temp && base != null) {
                KafkaNode.deleteQuietly(base);
            }
            throw new IllegalStateException("Could not start the embedded Kafka cluster: " + e, e);
        }
    }

    private static void startAll(KafkaNode... nodes) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (KafkaNode node : nodes) {
            futures.add(CompletableFuture.runAsync(node::startup, r -> {
                Thread t = new Thread(r, "embedded-kafka-start-" + node.nodeId);
                t.setDaemon(true);
                t.start();
            }));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static void stopAll(KafkaNode[] nodes) {
        // Stop concurrently: a node's controlled shutdown needs the controller quorum that the others provide.
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (KafkaNode node : nodes) {
            if (node != null && !node.isStopped()) {
                futures.add(CompletableFuture.runAsync(node::stop, r -> {
                    Thread t = new Thread(r, "embedded-kafka-stop-" + node.nodeId);
                    t.setDaemon(true);
                    t.start();
                }));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
    }

    /** {@code bootstrap.servers} of the running brokers. */
    public String bootstrapServers() {
        return java.util.Arrays.stream(nodes).filter(n -> !n.isStopped()).map(KafkaNode::bootstrapAddress)
                .collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.length;
    }

    /** Kafka node id ({@code node.id}) of broker {@code index} (0-based). */
    public int nodeId(int index) {
        return nodes[index].nodeId;
    }

    public int port(int index) {
        return nodes[index].brokerPort;
    }

    public boolean isRunning(int index) {
        return !nodes[index].isStopped();
    }

    /** Stops broker {@code index} (0-based); its data is kept so that {@link #restartBroker(int)} can bring it back. */
    public void stopBroker(int index) {
        KafkaNode node = nodes[index];
        if (node.isStopped()) {
            return;
        }
        long t0 = System.nanoTime();
        node.stop();
        LOG.info("Embedded Kafka node {} ({}) stopped in {} ms", node.nodeId, node.bootstrapAddress(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Starts a stopped broker again, on the same ports and data directory. */
    public void restartBroker(int index) {
        if (closed.get()) {
            throw new IllegalStateException("cluster is closed");
        }
        if (!nodes[index].isStopped()) {
            return;
        }
        try {
            KafkaNode node = KafkaNode.create(cluster, cluster.nodes().get(index));
            nodes[index] = node;
            node.startup();
        } catch (Exception e) {
            throw new IllegalStateException("Could not restart embedded Kafka node " + (index + 1) + ": " + e, e);
        }
    }

    /** Stops every broker and removes the temporary directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        stopAll(nodes);
        if (tempBaseDir) {
            KafkaNode.deleteQuietly(baseDir);
        }
        LOG.info("Embedded Kafka cluster stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
