package org.streamingmlp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The test resource's lifecycle, driven by hand (no Quarkus application needed). */
class KafkaBrokerResourceTest {

    @Test
    void startExposesAddress() throws Exception {
        KafkaBrokerResource resource = new KafkaBrokerResource();
        resource.init(Map.of()); // auto: container if Docker answers, else embedded
        Map<String, String> config = resource.start();
        try {
            String address = config.get("kafka.bootstrap.servers");
            assertEquals(Map.of("kafka.bootstrap.servers", address), config);
            assertEquals(address, KafkaBrokerResource.bootstrapServers());
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address);
            try (Admin admin = Admin.create(p)) {
                assertTrue(admin.describeCluster().nodes().get().size() >= 1);
            }
        } finally {
            resource.stop();
        }
        assertTrue(KafkaBrokerResource.currentBootstrapServers().isEmpty());
        assertThrows(IllegalStateException.class, KafkaBrokerResource::bootstrapServers);
    }
}
