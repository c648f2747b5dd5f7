package org.streamingmlp.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.jboss.logging.Logger;

/**
 * Connects to Kafka once at startup, with the {@code kafka.*} settings every client of the service uses, and fails
 * startup when the cluster refuses them: wrong SASL credentials, a TLS handshake that fails (untrusted broker
 * certificate, a client certificate the broker does not accept), or settings a Kafka client cannot even load (a
 * missing truststore, a wrong keystore password). Without it the channels' consumers would retry the refused
 * connection forever while the service looked alive. An unreachable cluster is not refused credentials: it is
 * logged and startup goes on (the clients keep trying, as they would after a broker restart).
 * <p>
 * The message names the setting to check, never its value; {@link SecretRedaction} removes any secret value that
 * a Kafka message might quote. Runs before {@link TopicSetup} and before SmallRye creates its clients.
 */
@ApplicationScoped
public class KafkaAccessCheck {

    private static final Logger LOG = Logger.getLogger(KafkaAccessCheck.class);
    private static final long TIMEOUT_SECONDS = 20;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    void check(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 2) StartupEvent event) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "streaming-mlp-access-check");
        String where = describe(settings);
        try (Admin admin = Admin.create(settings)) {
            String clusterId = admin.describeCluster().clusterId().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("Kafka cluster %s reached at %s", clusterId, where);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SaslAuthenticationException) {
                throw refused("Kafka refused the service's SASL credentials (" + where + "): " + cause.getMessage()
                        + ". Check kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG) and kafka.sasl.mechanism "
                        + "(KAFKA_SASL_MECHANISM)", cause);
            }
            if (cause instanceof SslAuthenticationException) {
                throw refused("The TLS handshake with Kafka failed (" + where + "): " + rootMessage(cause)
                        + ". Check kafka.ssl.truststore.* (KAFKA_SSL_TRUSTSTORE_*: does it trust the broker's "
                        + "certificate?) and, for mutual TLS, kafka.ssl.keystore.* (KAFKA_SSL_KEYSTORE_*)", cause);
            }
            LOG.warnf("Could not check the access to Kafka (%s): %s; going on, the clients keep trying", where,
                    SecretRedaction.redact(String.valueOf(cause), kafka));
        } catch (KafkaException e) {
            // Admin.create: settings a Kafka client cannot load (a truststore that is missing, a wrong password)
            throw refused("The Kafka client settings cannot be used (" + where + "): " + rootMessage(e)
                    + ". Check the kafka.* settings (KAFKA_* environment variables)", e);
        } catch (TimeoutException e) {
            LOG.warnf("Kafka did not answer within %d s (%s); going on, the clients keep trying", TIMEOUT_SECONDS,
                    where);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bootstrap servers, protocol and mechanism: what a reader of the message needs, and nothing secret. */
    private static String describe(Map<String, Object> settings) {
        Object protocol = settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        Object mechanism = settings.get("sasl.mechanism");
        return "bootstrap.servers=" + settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                + ", security.protocol=" + protocol
                + (String.valueOf(protocol).toUpperCase().startsWith("SASL")
                        ? ", sasl.mechanism=" + (mechanism == null ? "GSSAPI" : mechanism) : "");
    }

    private IllegalStateException refused(String message, Throwable cause) {
        // The cause is not attached: its own messages and stack may quote what the broker or the JDK saw.
        LOG.debugf("Kafka access check failed: %s", SecretRedaction.redact(String.valueOf(cause), kafka));
        return new IllegalStateException(SecretRedaction.redact(message, kafka));
    }

    /** The innermost message, which names the actual problem (e.g. "PKIX path building failed"). */
    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root.getMessage() + ")";
    }
}
