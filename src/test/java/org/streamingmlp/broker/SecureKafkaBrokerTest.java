package org.streamingmlp.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The secure test broker does what the service's security tests rely on, and refuses what they expect refused. */
class SecureKafkaBrokerTest {

    private static SecureKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = SecureKafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void scramSha512OverTlsCarriesRecords() {
        assertRoundTrip(broker.saslSslClient("SCRAM-SHA-512", broker.userPassword()), "scram");
    }

    @Test
    void plainOverTlsCarriesRecords() {
        assertRoundTrip(broker.saslSslClient("PLAIN", broker.userPassword()), "plain");
    }

    @Test
    void mutualTlsCarriesRecords() {
        assertRoundTrip(mtlsClient(true), "mtls");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertInstanceOf(SaslAuthenticationException.class,
                describeCluster(broker.saslSslClient("SCRAM-SHA-512", "not-the-password")));
        assertInstanceOf(SaslAuthenticationException.class,
                describeCluster(broker.saslSslClient("PLAIN", "not-the-password")));
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTheMutualTlsListener() {
        assertInstanceOf(SslAuthenticationException.class, describeCluster(mtlsClient(false)));
    }

    private static Map<String, Object> mtlsClient(boolean withCertificate) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.mtlsBootstrap());
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        c.put("ssl.truststore.location", broker.clientTruststore().toString());
        c.put("ssl.truststore.password", broker.storePassword());
        c.put("ssl.truststore.type", SecureKafkaBroker.STORE_TYPE);
        if (withCertificate) {
            c.put("ssl.keystore.location", broker.clientKeystore().toString());
            c.put("ssl.keystore.password", broker.storePassword());
            c.put("ssl.keystore.type", SecureKafkaBroker.STORE_TYPE);
        }
        return c;
    }

    private static Throwable describeCluster(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(c)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS));
            return e.getCause();
        }
    }

    private static void assertRoundTrip(Map<String, Object> client, String topic) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v-" + topic)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not produce over " + topic, e);
        }
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> read = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            assertEquals(1, read.size(), "records read over " + topic);
            assertEquals("v-" + topic, read.get(0).value());
        }
    }
}
