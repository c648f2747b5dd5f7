package org.streamingmlp.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A token issuer for the integration tests, as an OIDC provider would be in production: an RSA key pair made for
 * this test run, its public key in a PEM file that the service is given ({@code mp.jwt.verify.publickey.location}),
 * and signed RS256 JWTs with the caller's roles in the {@code groups} claim. No library: a JWT is two base64url JSON
 * objects and a signature.
 * <p>
 * One key pair per test JVM, kept in system properties: Quarkus loads test resources (which hand the service the
 * public key) and test classes (which sign) in different class loaders, each with its own statics.
 */
final class TestTokens {

    static final String ISSUER = "https://streaming-mlp.test/issuer";
    private static final String PRIVATE_KEY_PROPERTY = "mlp.it.jwt.private-key";
    private static final String PUBLIC_KEY_PROPERTY = "mlp.it.jwt.public-key";
    private static final String WRITTEN_PROPERTY = "mlp.it.jwt.public-key-written";
    private static final KeyPair KEYS = sharedKeyPair();
    private static final Path PUBLIC_KEY = Path.of("target", "it-jwt", "public-key.pem").toAbsolutePath();

    private TestTokens() {
    }

    /** The {@code -D} settings that make the service trust this issuer. */
    static Map<String, String> serviceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("mp.jwt.verify.publickey.location", publicKeyFile().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        return config;
    }

    static String admin() {
        return token("it-admin", "admin");
    }

    static String operator() {
        return token("it-operator", "operator");
    }

    /** An authenticated caller with no role the service knows. */
    static String user() {
        return token("it-user", "user");
    }

    /** A token signed by another key: the service must refuse it. */
    static String forged() {
        return sign(claims("mallory", "admin"), keyPair());
    }

    static String token(String name, String... roles) {
        return sign(claims(name, roles), KEYS);
    }

    /** The public key as PEM, written once per test JVM (a previous run's file holds another key). */
    static Path publicKeyFile() {
        synchronized (System.getProperties()) {
            if (System.getProperty(WRITTEN_PROPERTY) == null) {
                String pem = "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                try {
                    Files.createDirectories(PUBLIC_KEY.getParent());
                    Files.writeString(PUBLIC_KEY, pem);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.setProperty(WRITTEN_PROPERTY, "true");
            }
        }
        return PUBLIC_KEY;
    }

    private static String claims(String name, String... roles) {
        long now = Instant.now().getEpochSecond();
        String groups = java.util.Arrays.stream(roles).map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + name + "\",\"upn\":\"" + name + "\",\"groups\":[" + groups
                + "],\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    private static String sign(String claims, KeyPair keys) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String content = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(content.getBytes(StandardCharsets.US_ASCII));
            return content + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair sharedKeyPair() {
        synchronized (System.getProperties()) {
            if (System.getProperty(PRIVATE_KEY_PROPERTY) == null) {
                KeyPair made = keyPair();
                System.setProperty(PRIVATE_KEY_PROPERTY,
                        Base64.getEncoder().encodeToString(made.getPrivate().getEncoded()));
                System.setProperty(PUBLIC_KEY_PROPERTY,
                        Base64.getEncoder().encodeToString(made.getPublic().getEncoded()));
            }
            try {
                java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
                return new KeyPair(
                        rsa.generatePublic(new java.security.spec.X509EncodedKeySpec(
                                Base64.getDecoder().decode(System.getProperty(PUBLIC_KEY_PROPERTY)))),
                        rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                                Base64.getDecoder().decode(System.getProperty(PRIVATE_KEY_PROPERTY)))));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
