package org.streamingmlp.kafka;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from a text before it is logged or thrown: the values of the {@code kafka.*} settings that hold
 * one (passwords, the JAAS configuration and any password inside it), wherever they appear.
 */
final class SecretRedaction {

    static final String REDACTED = "[redacted]";
    /** {@code password="..."} inside a JAAS configuration. */
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

    private SecretRedaction() {
    }

    static String redact(String text, Map<String, Object> kafka) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Map.Entry<String, Object> setting : kafka.entrySet()) {
            if (!isSecret(setting.getKey()) || setting.getValue() == null) {
                continue;
            }
            String value = String.valueOf(setting.getValue());
            Matcher password = JAAS_PASSWORD.matcher(value);
            while (password.find()) {
                out = replace(out, password.group(1));
            }
            out = replace(out, value);
        }
        return out;
    }

    /** Kafka's own PASSWORD-typed settings: {@code ssl.*.password}, {@code sasl.jaas.config}, and the like. */
    static boolean isSecret(String key) {
        String k = key.toLowerCase();
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
                || k.contains("token");
    }

    private static String replace(String text, String secret) {
        return secret.length() < 4 ? text : text.replace(secret, REDACTED);
    }
}
