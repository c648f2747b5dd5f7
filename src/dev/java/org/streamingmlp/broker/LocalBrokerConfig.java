package org.streamingmlp.broker;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Local/demo mode: an in-JVM Kafka broker started by {@link LocalBrokerLauncher}.
 *
 * <pre>
 * mlp.local-broker.enabled=false      # %dev: true
 * mlp.local-broker.host=localhost
 * mlp.local-broker.port=9092
 * mlp.local-broker.log-dir=           # optional; unset = temporary directory, deleted at shutdown
 * mlp.local-broker.partitions=1       # num.partitions of auto-created topics
 * </pre>
 */
@ConfigMapping(prefix = "mlp.local-broker")
public interface LocalBrokerConfig {

    /** Start the embedded broker (only if no external {@code kafka.bootstrap.servers} is configured). */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("localhost")
    String host();

    /** Broker port the clients connect to; must match {@code kafka.bootstrap.servers}. */
    @WithDefault("9092")
    int port();

    /** Data directory that survives restarts; unset means a temporary directory removed at shutdown. */
    Optional<String> logDir();

    /** {@code num.partitions} for auto-created topics. */
    @WithDefault("1")
    int partitions();
}
