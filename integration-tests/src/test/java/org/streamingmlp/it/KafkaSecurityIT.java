package org.streamingmlp.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.SecureKafkaBroker;

/**
 * The packaged service against a real broker that requires authentication: SASL_SSL with SCRAM-SHA-512 and with
 * PLAIN, and mutual TLS, configured through the environment alone (the {@code KAFKA_*} variables a Kubernetes Secret
 * would provide). Every client of the service takes the settings: the channels (it trains and answers), the
 * exactly-once producer (answers are committed transactions), the topic setup's admin client. Wrong credentials
 * and a missing client certificate fail startup with a message naming the problem. No secret appears in the log,
 * {@code GET /model} or {@code /q/metrics}.
 */
class KafkaSecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "kafka-security-it");
    private static final Duration STARTUP_FAILS_WITHIN = Duration.ofSeconds(120);

    private static SecureKafkaBroker broker;
    private static TestKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        ServiceProcess.deleteRecursively(WORK);
        broker = SecureKafkaBroker.start();
        kafka = new TestKafka(broker.plaintextBootstrap());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void trainsAndAnswersExactlyOnceOverSaslSslWithScramSha512() throws Exception {
        Path log = WORK.resolve("scram.log");
        Map<String, String> config = new HashMap<>();
        config.put("mlp.predictions.exactly-once", "true");
        config.put("mlp.predictions.transactional-id", "kafka-security-it-" + UUID.randomUUID());
        try (ServiceProcess service = ServiceProcess.start(config,
                saslSsl("SCRAM-SHA-512", broker.userPassword()), log)) {
            Blobs blobs = new Blobs(11);
            for (int i = 0; i < 1000; i++) {
                kafka.send("mlp.train", "e-" + i, Blobs.trainingRecord("e-" + i, blobs.next()));
            }
            for (int i = 0; i < 200; i++) {
                kafka.send("mlp.validation", "v-" + i, Blobs.trainingRecord("v-" + i, blobs.next()));
            }
            Set<String> asked = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                asked.add("r-" + i);
                kafka.send("mlp.predict", "r-" + i, Blobs.request("r-" + i, blobs.next().features()));
            }
            kafka.flush();
            try (KafkaConsumer<byte[], byte[]> answers = kafka.reader("mlp.predictions", "read_committed")) {
                List<ConsumerRecord<byte[], byte[]>> read = TestKafka.readUntil(answers,
                        rs -> ids(rs).containsAll(asked), Duration.ofSeconds(90));
                assertTrue(ids(read).containsAll(asked), "committed answers only for " + ids(read) + "; see " + log);
            }
            JsonNode model = JSON.readTree(service.get("/model"));
            assertTrue(model.at("/training/examplesSeen").asLong() > 0, "nothing learned over SASL_SSL: " + model);
            assertTrue(Files.readString(log).contains("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512"),
                    "the access check did not report the SASL_SSL connection; see " + log);
            assertNoSecret(service.get("/model"), "GET /model");
            assertNoSecret(service.management("/q/metrics"), "/q/metrics");
            service.stop();
        }
        assertNoSecret(Files.readString(log), "the service log " + log);
    }

    @Test
    void plainOverSaslSslConnectsEveryChannel() throws Exception {
        Path log = WORK.resolve("plain.log");
        try (ServiceProcess service = ServiceProcess.start(Map.of(), saslSsl("PLAIN", broker.userPassword()), log)) {
            // ready = a model, and the training and request consumers own partitions: the channels are connected
            assertTrue(service.management("/q/health/ready").contains("UP"));
            service.stop();
        }
        assertNoSecret(Files.readString(log), "the service log " + log);
    }

    @Test
    void aWrongPasswordFailsStartupNamingTheProblem() throws Exception {
        Path log = WORK.resolve("wrong-password.log");
        String wrong = "wrong-" + UUID.randomUUID();
        int exit = ServiceProcess.runUntilExit(Map.of(), saslSsl("SCRAM-SHA-512", wrong), log, STARTUP_FAILS_WITHIN);
        String output = Files.readString(log);
        assertNotEquals(0, exit, "the service started with a wrong password; see " + log);
        assertTrue(output.contains("Kafka refused the service's SASL credentials"), "no clear message in " + log);
        assertTrue(output.contains("KAFKA_SASL_JAAS_CONFIG"), "the message does not name the setting; see " + log);
        assertFalse(output.contains(wrong), "the wrong password is in the log " + log);
        assertNoSecret(output, "the service log " + log);
    }

    @Test
    void mutualTlsConnectsAndAMissingClientCertificateFailsStartup() throws Exception {
        Path log = WORK.resolve("mtls.log");
        Map<String, String> env = new HashMap<>(tls());
        env.put("KAFKA_SSL_KEYSTORE_LOCATION", broker.clientKeystore().toString());
        env.put("KAFKA_SSL_KEYSTORE_PASSWORD", broker.storePassword());
        env.put("KAFKA_SSL_KEYSTORE_TYPE", SecureKafkaBroker.STORE_TYPE);
        try (ServiceProcess service = ServiceProcess.start(Map.of(), env, log)) {
            assertTrue(service.management("/q/health/ready").contains("UP"));
            service.stop();
        }
        assertNoSecret(Files.readString(log), "the service log " + log);

        Path refusedLog = WORK.resolve("mtls-no-certificate.log");
        int exit = ServiceProcess.runUntilExit(Map.of(), tls(), refusedLog, STARTUP_FAILS_WITHIN);
        String output = Files.readString(refusedLog);
        assertNotEquals(0, exit, "the service started without a client certificate; see " + refusedLog);
        assertTrue(output.contains("The TLS handshake with Kafka failed"), "no clear message in " + refusedLog);
        assertTrue(output.contains("KAFKA_SSL_KEYSTORE_"), "the message does not name the setting; " + refusedLog);
        assertNoSecret(output, "the service log " + refusedLog);
    }

    /** The environment of a SASL_SSL client: what a Kubernetes Secret would hold. */
    private static Map<String, String> saslSsl(String mechanism, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.saslSslBootstrap());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", mechanism);
        env.put("KAFKA_SASL_JAAS_CONFIG", SecureKafkaBroker.jaasConfig(mechanism, password));
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.clientTruststore().toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", broker.storePassword());
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", SecureKafkaBroker.STORE_TYPE);
        return env;
    }

    /** TLS to the mutual-TLS listener, trusting the broker; the client certificate is the caller's to add. */
    private static Map<String, String> tls() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.mtlsBootstrap());
        env.put("KAFKA_SECURITY_PROTOCOL", "SSL");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.clientTruststore().toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", broker.storePassword());
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", SecureKafkaBroker.STORE_TYPE);
        return env;
    }

    private static void assertNoSecret(String text, String where) {
        assertFalse(text.contains(broker.userPassword()), "the Kafka user's password is in " + where);
        assertFalse(text.contains(broker.storePassword()), "the keystore password is in " + where);
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                ids.add(JSON.readTree(r.value()).path("id").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }
}
