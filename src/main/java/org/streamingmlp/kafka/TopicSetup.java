package org.streamingmlp.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.streamingmlp.config.ServiceConfig;

/**
 * Creates the topics the service reads and writes ({@code mlp.topics.*}) when they are missing, with
 * {@code mlp.topics.partitions} and {@code mlp.topics.replication-factor} (unset: the broker's defaults), before the
 * channels start: a client may subscribe to the predictions, metrics or dead-letter topic before the first record is
 * written there, and the input topics get the configured partitions rather than whatever a consumer's metadata
 * request would auto-create. An existing topic is never changed. Off with {@code mlp.topics.create=false} (topics
 * managed elsewhere, e.g. as Strimzi resources); a cluster that refuses is logged, and startup goes on.
 * <p>
 * Ordering: SmallRye Reactive Messaging creates its Kafka clients on {@code StartupEvent} at priority
 * {@code LIBRARY_BEFORE}; this runs just before it (and after the dev-mode broker, which starts at
 * {@code PLATFORM_BEFORE}). No injection can say this: the channels do not depend on a bean of ours.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);
    private static final long TIMEOUT_SECONDS = 30;

    @Inject
    ServiceConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    void createMissing(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent event) {
        if (!config.topics().create()) {
            return;
        }
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "streaming-mlp-topic-setup");
        try (Admin admin = Admin.create(settings)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics()) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, config.topics().partitions(), config.topics().replicationFactor()));
                }
            }
            if (!existing.contains(config.topics().model())) {
                missing.add(modelTopic());
            }
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((topic, created) -> {
                try {
                    created.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s (partitions %s, replication %s)", topic,
                            config.topics().partitions().map(String::valueOf).orElse("broker default"),
                            config.topics().replicationFactor().map(String::valueOf).orElse("broker default"));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {   // created meanwhile: fine
                        LOG.warnf("Could not create topic %s: %s", topic, e.getCause().toString());
                    }
                } catch (TimeoutException e) {
                    LOG.warnf("Could not create topic %s within %d s", topic, TIMEOUT_SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not check the topics (mlp.topics.create): %s; they are created on first use if the "
                    + "cluster allows it", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One partition (a release must follow its chunks), compacted (the newest release and its chunks stay; older
     * versions are deleted by the tombstones the publisher writes), and large enough records for one chunk.
     */
    private NewTopic modelTopic() {
        return new NewTopic(config.topics().model(), Optional.of(1), config.topics().replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(ModelTopicPublisher.recordLimit(config))));
    }

    private Set<String> topics() {
        ServiceConfig.Topics t = config.topics();
        return new LinkedHashSet<>(List.of(t.train(), t.validation(), t.predict(), t.predictions(), t.metrics(),
                t.dlq()));
    }
}
