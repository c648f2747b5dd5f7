package org.streamingmlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * At startup the service creates every topic it reads or writes that is missing, with the configured partitions,
 * and leaves an existing topic as it is: a client can subscribe to the outputs before the first record is written.
 */
class TopicSetupIT {

    private static final List<String> TOPICS = List.of("ts.train", "ts.validation", "ts.predict", "ts.predictions",
            "ts.metrics", "ts.dlq");

    @Test
    void missingTopicsAreCreatedAndAnExistingOneIsLeftAlone() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("ts.predict", Optional.of(3), Optional.empty()))).all().get();
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            String[] keys = {"train", "validation", "predict", "predictions", "metrics", "dlq"};
            for (int i = 0; i < keys.length; i++) {
                config.put("mlp.topics." + keys[i], TOPICS.get(i));
            }
            config.put("mlp.topics.partitions", "2");
            try (ServiceProcess service = ServiceProcess.start(config, Path.of("target", "topic-setup-it.log"))) {
                Set<String> names = admin.listTopics().names().get();
                assertTrue(names.containsAll(TOPICS), "missing topics after startup: " + names);
                Map<String, TopicDescription> topics = admin.describeTopics(TOPICS).allTopicNames().get();
                assertEquals(3, topics.get("ts.predict").partitions().size(), "an existing topic was changed");
                for (String topic : List.of("ts.train", "ts.validation", "ts.predictions", "ts.metrics", "ts.dlq")) {
                    assertEquals(2, topics.get(topic).partitions().size(), topic + ": mlp.topics.partitions");
                }
            }
        }
    }
}
