package org.streamingmlp.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * One Apache Kafka node in KRaft combined mode (process.roles=broker,controller), running in this JVM.
 * Package-private building block of {@link EmbeddedKafkaBroker} (one node) and of {@code EmbeddedKafkaCluster}
 * (N nodes; in the test sources, same package).
 * All references to Kafka server classes live here, so they are only loaded when a broker is actually started.
 */
final class KafkaNode {

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    final int nodeId;
    final String host;
    final int brokerPort;
    final int controllerPort;
    final Path logDir;
    private final boolean deleteLogDirOnClose;
    private final KafkaRaftServer server;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private KafkaNode(int nodeId, String host, int brokerPort, int controllerPort, Path logDir,
            boolean deleteLogDirOnClose, KafkaRaftServer server) {
        this.nodeId = nodeId;
        this.host = host;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
        this.deleteLogDirOnClose = deleteLogDirOnClose;
        this.server = server;
    }

    /** Static description of one node, known before any node starts (the voters must know each other's addresses). */
    record Spec(int nodeId, String host, int brokerPort, int controllerPort, Path logDir, boolean tempLogDir) {
        String voter() {
            return nodeId + "@" + host + ":" + controllerPort;
        }
    }

    /** Cluster-wide settings shared by every node. */
    record ClusterSpec(String clusterId, List<Spec> nodes, int defaultPartitions, short replicationFactor,
            int minInsyncReplicas) {
        String voters() {
            StringBuilder sb = new StringBuilder();
            for (Spec s : nodes) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(s.voter());
            }
            return sb.toString();
        }
    }

    static Properties config(ClusterSpec cluster, Spec node) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node.nodeId()));
        p.put("controller.quorum.voters", cluster.voters());
        p.put("listeners", BROKER_LISTENER + "://" + node.host() + ":" + node.brokerPort() + ","
                + CONTROLLER_LISTENER + "://" + node.host() + ":" + node.controllerPort());
        p.put("advertised.listeners", BROKER_LISTENER + "://" + node.host() + ":" + node.brokerPort());
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        // One directory holds both the partition data and the __cluster_metadata log.
        p.put("log.dirs", node.logDir().toString());

        // Topics
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", Integer.toString(cluster.defaultPartitions()));
        p.put("default.replication.factor", Short.toString(cluster.replicationFactor()));
        p.put("min.insync.replicas", Integer.toString(cluster.minInsyncReplicas()));

        // Internal topics: replicated as far as the cluster allows, few partitions (fast creation on first use)
        String rf = Short.toString(cluster.replicationFactor());
        String minIsr = Integer.toString(cluster.minInsyncReplicas());
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small and heap-friendly
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("log.retention.hours", "24");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // A node that leaves should be noticed quickly (cluster fail-over tests), but not flap under a loaded CI machine.
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("controller.quorum.election.timeout.ms", "1000");
        p.put("controller.quorum.fetch.timeout.ms", "2000");
        p.put("replica.lag.time.max.ms", "10000");
        p.put("controlled.shutdown.enable", "true");
        p.put("delete.topic.enable", "true");
        return p;
    }

    /** The cluster id of an already formatted directory (so a persistent log directory can be reused). */
    static java.util.Optional<String> existingClusterId(Path dir) throws IOException {
        Path meta = dir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return java.util.Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(meta)) {
            p.load(in);
        }
        return java.util.Optional.ofNullable(p.getProperty("cluster.id"));
    }

    /** Formats the node's storage (meta.properties + bootstrap checkpoint) unless it is formatted already. */
    static void format(ClusterSpec cluster, Spec node) throws Exception {
        Files.createDirectories(node.logDir());
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(node.nodeId())
                .setClusterId(cluster.clusterId())
                .setDirectories(List.of(node.logDir().toString()))
                .setMetadataLogDirectory(node.logDir().toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setUnstableFeatureVersionsEnabled(false)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setIgnoreFormatted(true)
                .run();
    }

    /** Formats and creates the server, without starting it ({@link KafkaRaftServer#startup()} blocks until the quorum answers). */
    static KafkaNode create(ClusterSpec cluster, Spec node) throws Exception {
        return create(cluster, node, java.util.Map.of());
    }

    /** The same, with broker settings replaced or added (extra listeners, TLS, SASL: the tests' secure broker). */
    static KafkaNode create(ClusterSpec cluster, Spec node, java.util.Map<String, String> overrides) throws Exception {
        format(cluster, node);
        Properties props = config(cluster, node);
        props.putAll(overrides);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        return new KafkaNode(node.nodeId(), node.host(), node.brokerPort(), node.controllerPort(), node.logDir(),
                node.tempLogDir(), server);
    }

    void startup() {
        server.startup();
    }

    String bootstrapAddress() {
        return host + ":" + brokerPort;
    }

    boolean isStopped() {
        return stopped.get();
    }

    /** Stops the server (idempotent); deletes the log directory if it was a temporary one. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteLogDirOnClose) {
                deleteQuietly(logDir);
            }
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    static boolean portFree(String host, int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free right now (there is a tiny window before the server binds it). */
    static int freePort(String host) throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new java.net.InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
