package org.streamingmlp.broker;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Settings of dev mode's local broker, started by {@link LocalBrokerLauncher}; all optional:
 *
 * <pre>
 * local-broker.enabled=true          # false: never start it (an external KAFKA_BOOTSTRAP_SERVERS also prevents it)
 * local-broker.host=localhost
 * local-broker.port=9092
 * local-broker.log-dir=              # unset = temporary directory, deleted at shutdown
 * local-broker.partitions=1          # num.partitions of auto-created topics
 * </pre>
 *
 * <p>Read from {@link Config} by hand, not with {@code @ConfigMapping}: Quarkus generates an implementation of every
 * {@code @ConfigMapping} interface it indexes, also in the production build, which would put a class of this dev-only
 * package back into the packaged application. For the same reason the keys are outside the {@code mlp.} root: every
 * property under it must map to {@code ServiceConfig}, and nothing maps these keys in a production build.
 *
 * @param enabled    start the embedded broker (only if no external {@code kafka.bootstrap.servers} is configured)
 * @param host       host name to bind and advertise
 * @param port       broker port the clients connect to; must match {@code kafka.bootstrap.servers}
 * @param logDir     data directory that survives restarts; empty means a temporary directory removed at shutdown
 * @param partitions {@code num.partitions} for auto-created topics
 */
public record LocalBrokerConfig(boolean enabled, String host, int port, Optional<String> logDir, int partitions) {

    static final String PREFIX = "local-broker.";

    public static LocalBrokerConfig from(Config config) {
        return new LocalBrokerConfig(
                config.getOptionalValue(PREFIX + "enabled", Boolean.class).orElse(true),
                config.getOptionalValue(PREFIX + "host", String.class).orElse("localhost"),
                config.getOptionalValue(PREFIX + "port", Integer.class).orElse(9092),
                config.getOptionalValue(PREFIX + "log-dir", String.class).filter(s -> !s.isBlank()),
                config.getOptionalValue(PREFIX + "partitions", Integer.class).orElse(1));
    }
}
