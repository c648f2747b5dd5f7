package org.streamingmlp.broker;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the in-JVM Kafka broker ({@link EmbeddedKafkaBroker}) in dev mode ({@code ./mvnw quarkus:dev}), before the
 * first Kafka client connects, and stops it after the Kafka channels are closed.
 *
 * <h2>Dev mode only</h2>
 * This class lives in {@code src/dev/java}: compiled into {@code target/classes} for dev mode and the tests, left out
 * of the packaged application (see {@code quarkus.package.jar.user-configured-ignored-entries}).
 * {@link IfBuildProfile @IfBuildProfile("dev")} makes it a bean only in a dev-mode build, so test and production builds
 * generate no code that refers to it.
 *
 * <h2>Start: a {@code StartupEvent} observer at {@code PLATFORM_BEFORE}</h2>
 * In Quarkus 3.33 ({@code quarkus-messaging}), {@code SmallRyeReactiveMessagingLifecycle} only registers mediator,
 * emitter and channel <em>descriptions</em> on {@code @Initialized(ApplicationScoped.class)}; the connectors create
 * their Kafka clients in {@code MediatorManager.start()}, called from its {@code StartupEvent} observer at priority
 * {@code LIBRARY_BEFORE} (1000), and {@code TopicSetup} creates its admin client from a {@code StartupEvent} observer
 * just before that. This launcher observes {@code StartupEvent} at {@code PLATFORM_BEFORE} (0), so the broker listens
 * before the first Kafka client exists. The {@code @Priority} stays because no injection or other lifecycle hook
 * orders both: neither observer depends on a bean the launcher could provide (production code cannot know this
 * dev-only class), a SmallRye {@code ClientCustomizer} is called before the connector's clients only, not before
 * {@code TopicSetup}'s admin client, and {@code @Initialized(ApplicationScoped.class)} fires during static init.
 *
 * <h2>Stop: {@code @PreDestroy}</h2>
 * The SmallRye {@code KafkaConnector} closes its clients on {@code @BeforeDestroyed(ApplicationScoped.class)}, which
 * fires after {@code ShutdownEvent} and before application-scoped beans are destroyed; so the broker stops in
 * {@link PreDestroy @PreDestroy}, after the connector closed its consumers and producers (producers still flushing
 * may log a few connection warnings). Stopping on {@code ShutdownEvent} would leave the clients retrying against a
 * dead broker while they close.
 *
 * <h2>When it starts</h2>
 * Only if {@code local-broker.enabled=true} (the default) and {@code kafka.bootstrap.servers} (or the environment
 * variable {@code KAFKA_BOOTSTRAP_SERVERS}) is unset or names the local address ({@code localhost}/{@code 127.0.0.1}/
 * the configured host, at {@code local-broker.port}). Anything else is an external broker and is used as is.
 *
 * <p>The Kafka server jars have Maven scope {@code provided}. This class references no Kafka server class; it checks
 * for {@value EmbeddedKafkaBroker#SERVER_CLASS} by name and fails startup with a message naming
 * {@code local-broker.enabled} if the broker is wanted but absent.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class LocalBrokerLauncher {

    private static final Logger LOG = Logger.getLogger(LocalBrokerLauncher.class);

    static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers";
    static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0");

    @Inject
    Config mpConfig;

    private volatile EmbeddedKafkaBroker broker;

    /** What the launcher decides for a given configuration (pure, unit-tested). */
    enum Decision {
        DISABLED,
        EXTERNAL_BROKER,
        START,
        MISSING_SERVER_CLASSES
    }

    /** Before SmallRye's MediatorManager and TopicSetup create Kafka clients (see the class comment on @Priority). */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        LocalBrokerConfig config = LocalBrokerConfig.from(mpConfig);
        Optional<String> bootstrap = configuredBootstrap();
        boolean serverClasses = serverClassesAvailable();
        Decision decision = decide(config.enabled(), config.host(), config.port(), bootstrap, serverClasses);
        switch (decision) {
            case DISABLED -> LOG.debug("Local Kafka broker disabled (local-broker.enabled=false)");
            case EXTERNAL_BROKER -> LOG.infof(
                    "local-broker.enabled=true, but %s=%s names an external broker: not starting the local broker",
                    BOOTSTRAP_PROPERTY, bootstrap.orElse(""));
            case MISSING_SERVER_CLASSES -> throw new IllegalStateException(
                    "local-broker.enabled=true, but the Apache Kafka broker classes ("
                            + EmbeddedKafkaBroker.SERVER_CLASS + " from org.apache.kafka:kafka_2.13, Maven scope "
                            + "'provided') are not on the classpath. Set local-broker.enabled=false and point "
                            + BOOTSTRAP_PROPERTY + " (env " + BOOTSTRAP_ENV + ") at a Kafka broker.");
            case START -> start(config, bootstrap);
        }
    }

    private void start(LocalBrokerConfig config, Optional<String> bootstrap) {
        if (bootstrap.isEmpty() && config.port() != 9092) {
            LOG.warnf("%s is not set: the Kafka connector defaults to localhost:9092, but the local broker listens on "
                    + "port %d. Set %s=%s:%d.", BOOTSTRAP_PROPERTY, config.port(), BOOTSTRAP_PROPERTY, config.host(),
                    config.port());
        }
        EmbeddedKafkaBroker.Settings settings = new EmbeddedKafkaBroker.Settings(config.host(), config.port(),
                config.logDir().map(Path::of).orElse(null), config.partitions());
        LOG.infof("Starting the local Kafka broker on %s:%d (local-broker.enabled=true)", config.host(),
                config.port());
        try {
            broker = EmbeddedKafkaBroker.start(settings);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ". If a broker already runs there, set "
                    + BOOTSTRAP_PROPERTY + " to it and local-broker.enabled=false; otherwise choose another "
                    + "local-broker.port (and the same port in " + BOOTSTRAP_PROPERTY + ").", e);
        }
        LOG.infof("Local Kafka broker ready: %s=%s", BOOTSTRAP_PROPERTY, broker.bootstrapServers());
    }

    /** Runs after the SmallRye Kafka connector has closed its producers and consumers (see the class comment). */
    @PreDestroy
    void stop() {
        EmbeddedKafkaBroker b = broker;
        broker = null;
        if (b != null) {
            LOG.infof("Stopping the local Kafka broker %s", b.bootstrapServers());
            b.close();
        }
    }

    /** The running local broker's address, if this launcher started one. */
    public Optional<String> bootstrapServers() {
        EmbeddedKafkaBroker b = broker;
        return b == null ? Optional.empty() : Optional.of(b.bootstrapServers());
    }

    private Optional<String> configuredBootstrap() {
        Optional<String> fromConfig = mpConfig.getOptionalValue(BOOTSTRAP_PROPERTY, String.class);
        if (fromConfig.isPresent() && !fromConfig.get().isBlank()) {
            return fromConfig.map(String::trim);
        }
        String env = System.getenv(BOOTSTRAP_ENV);
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.trim());
    }

    static boolean serverClassesAvailable() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return EmbeddedKafkaBroker.serverClassesAvailable(tccl != null ? tccl : LocalBrokerLauncher.class.getClassLoader());
    }

    static Decision decide(boolean enabled, String host, int port, Optional<String> bootstrap, boolean serverClasses) {
        if (!enabled) {
            return Decision.DISABLED;
        }
        if (bootstrap.isPresent() && !isLocal(bootstrap.get(), host, port)) {
            return Decision.EXTERNAL_BROKER;
        }
        return serverClasses ? Decision.START : Decision.MISSING_SERVER_CLASSES;
    }

    /** True if every entry of a bootstrap list is this machine at the local broker's port. */
    static boolean isLocal(String bootstrap, String host, int port) {
        String[] entries = bootstrap.split(",");
        boolean any = false;
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            any = true;
            int schemeEnd = entry.indexOf("://");
            if (schemeEnd >= 0) {
                entry = entry.substring(schemeEnd + 3);
            }
            URI uri;
            try {
                uri = URI.create("kafka://" + entry);
            } catch (IllegalArgumentException e) {
                return false;
            }
            String h = uri.getHost();
            if (h == null || uri.getPort() != port) {
                return false;
            }
            h = h.toLowerCase(Locale.ROOT);
            if (!LOCAL_HOSTS.contains(h) && !h.equalsIgnoreCase(host)) {
                return false;
            }
        }
        return any;
    }
}
