package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretRedactionTest {

    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "broker:9093",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"mlp\" password=\"s3cr3t-Pa55\";",
            "ssl.truststore.password", "trust-me-123",
            "ssl.keystore.location", "/etc/kafka-tls/user.p12");

    @Test
    void removesPasswordsTheJaasConfigurationAndThePasswordInsideIt() {
        String text = "failed with password s3cr3t-Pa55, store trust-me-123, jaas "
                + KAFKA.get("sasl.jaas.config") + " at broker:9093 using /etc/kafka-tls/user.p12";
        String redacted = SecretRedaction.redact(text, KAFKA);
        assertFalse(redacted.contains("s3cr3t-Pa55"), redacted);
        assertFalse(redacted.contains("trust-me-123"), redacted);
        assertTrue(redacted.contains("broker:9093"), "not a secret: " + redacted);
        assertTrue(redacted.contains("/etc/kafka-tls/user.p12"), "not a secret: " + redacted);
    }

    @Test
    void textWithoutSecretsIsUnchanged() {
        assertEquals("Authentication failed", SecretRedaction.redact("Authentication failed", KAFKA));
    }

    @Test
    void secretSettingsAreRecognisedByName() {
        assertTrue(SecretRedaction.isSecret("sasl.jaas.config"));
        assertTrue(SecretRedaction.isSecret("ssl.key.password"));
        assertTrue(SecretRedaction.isSecret("ssl.keystore.password"));
        assertFalse(SecretRedaction.isSecret("ssl.keystore.location"));
        assertFalse(SecretRedaction.isSecret("bootstrap.servers"));
    }
}
