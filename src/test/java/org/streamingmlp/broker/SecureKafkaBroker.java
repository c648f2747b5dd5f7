package org.streamingmlp.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (one KRaft node in this JVM) with three client listeners, for tests of the service's Kafka
 * security: {@code PLAINTEXT} (the tests' own producers and consumers, and the administration), {@code SASL_SSL}
 * (SCRAM-SHA-512 and PLAIN over TLS) and {@code MTLS} (TLS with a required client certificate). Its certificates are
 * made by the JDK's {@code keytool} for this broker only, in a temporary directory: a self-signed broker certificate
 * for {@code localhost} / {@code 127.0.0.1} and a client certificate, each trusted by the other side's truststore.
 * The SCRAM user is created through the Admin API, as on a real cluster; the PLAIN user is in the listener's JAAS
 * configuration. Passwords are random per broker, so a test can look for them in logs.
 */
public final class SecureKafkaBroker implements AutoCloseable {

    public static final String USER = "mlp-service";
    public static final String STORE_TYPE = "PKCS12";

    private final KafkaNode node;
    private final Path dir;
    private final int saslSslPort;
    private final int mtlsPort;
    private final String userPassword;
    private final String storePassword;

    private SecureKafkaBroker(KafkaNode node, Path dir, int saslSslPort, int mtlsPort, String userPassword,
            String storePassword) {
        this.node = node;
        this.dir = dir;
        this.saslSslPort = saslSslPort;
        this.mtlsPort = mtlsPort;
        this.userPassword = userPassword;
        this.storePassword = storePassword;
    }

    public static SecureKafkaBroker start() throws Exception {
        Path dir = Files.createTempDirectory("secure-kafka-");
        String userPassword = "scram-" + UUID.randomUUID();
        String storePassword = "store-" + UUID.randomUUID();
        Certificates.make(dir, storePassword);
        String host = "localhost";
        int plainPort = KafkaNode.freePort(host);
        int saslSslPort = KafkaNode.freePort(host);
        int mtlsPort = KafkaNode.freePort(host);
        int controllerPort = KafkaNode.freePort(host);
        Path logDir = dir.resolve("data");
        KafkaNode.Spec spec = new KafkaNode.Spec(1, host, plainPort, controllerPort, logDir, false);
        KafkaNode.ClusterSpec cluster = new KafkaNode.ClusterSpec(Uuid.randomUuid().toString(), List.of(spec), 1,
                (short) 1, 1);

        Map<String, String> o = new HashMap<>();
        o.put("listeners", "PLAINTEXT://" + host + ":" + plainPort + ",SASL_SSL://" + host + ":" + saslSslPort
                + ",MTLS://" + host + ":" + mtlsPort + "," + KafkaNode.CONTROLLER_LISTENER + "://" + host + ":"
                + controllerPort);
        o.put("advertised.listeners", "PLAINTEXT://" + host + ":" + plainPort + ",SASL_SSL://" + host + ":"
                + saslSslPort + ",MTLS://" + host + ":" + mtlsPort);
        o.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL,"
                + KafkaNode.CONTROLLER_LISTENER + ":PLAINTEXT");
        o.put("ssl.keystore.location", dir.resolve(Certificates.BROKER_KEYSTORE).toString());
        o.put("ssl.keystore.password", storePassword);
        o.put("ssl.key.password", storePassword);
        o.put("ssl.keystore.type", STORE_TYPE);
        o.put("ssl.truststore.location", dir.resolve(Certificates.BROKER_TRUSTSTORE).toString());
        o.put("ssl.truststore.password", storePassword);
        o.put("ssl.truststore.type", STORE_TYPE);
        o.put("listener.name.mtls.ssl.client.auth", "required");
        o.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        o.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        o.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\""
                        + userPassword + "\";");

        KafkaNode node = KafkaNode.create(cluster, spec, o);
        SecureKafkaBroker broker = new SecureKafkaBroker(node, dir, saslSslPort, mtlsPort, userPassword,
                storePassword);
        try {
            node.startup();
            broker.createScramUser();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The unauthenticated listener, for the tests' own clients. */
    public String plaintextBootstrap() {
        return node.bootstrapAddress();
    }

    public String saslSslBootstrap() {
        return "localhost:" + saslSslPort;
    }

    public String mtlsBootstrap() {
        return "localhost:" + mtlsPort;
    }

    /** The password of {@link #USER}, for SCRAM-SHA-512 and PLAIN. */
    public String userPassword() {
        return userPassword;
    }

    /** The password of every keystore and truststore. */
    public String storePassword() {
        return storePassword;
    }

    /** The truststore that trusts the broker's certificate. */
    public Path clientTruststore() {
        return dir.resolve(Certificates.CLIENT_TRUSTSTORE);
    }

    /** The client's key and certificate, which the MTLS listener trusts. */
    public Path clientKeystore() {
        return dir.resolve(Certificates.CLIENT_KEYSTORE);
    }

    /** The JAAS configuration of {@link #USER} with this password, for the given mechanism. */
    public static String jaasConfig(String mechanism, String password) {
        String module = mechanism.startsWith("SCRAM") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + USER + "\" password=\"" + password + "\";";
    }

    /**
     * Client settings for the SASL_SSL listener with this mechanism and password, as Kafka client properties
     * ({@code security.protocol}, {@code sasl.*}, {@code ssl.truststore.*}).
     */
    public Map<String, Object> saslSslClient(String mechanism, String password) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslSslBootstrap());
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        c.put("sasl.mechanism", mechanism);
        c.put("sasl.jaas.config", jaasConfig(mechanism, password));
        c.put("ssl.truststore.location", clientTruststore().toString());
        c.put("ssl.truststore.password", storePassword);
        c.put("ssl.truststore.type", STORE_TYPE);
        return c;
    }

    /**
     * Creates the SCRAM-SHA-512 credential of {@link #USER} (KRaft keeps it in the cluster metadata), then waits
     * until the SASL_SSL listener accepts it: the broker learns the credential from the metadata log a moment later.
     */
    private void createScramUser() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), userPassword)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        org.awaitility.Awaitility.await("the SASL_SSL listener accepts the new SCRAM user")
                .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    Map<String, Object> c = saslSslClient("SCRAM-SHA-512", userPassword);
                    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
                    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
                    try (Admin admin = Admin.create(c)) {
                        return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS) != null;
                    }
                });
    }

    @Override
    public void close() {
        try {
            node.stop();
        } finally {
            KafkaNode.deleteQuietly(dir);
        }
    }

    /** Key and trust stores made with the JDK's keytool. */
    static final class Certificates {
        static final String BROKER_KEYSTORE = "broker.keystore.p12";
        static final String BROKER_TRUSTSTORE = "broker.truststore.p12";
        static final String CLIENT_KEYSTORE = "client.keystore.p12";
        static final String CLIENT_TRUSTSTORE = "client.truststore.p12";

        private Certificates() {
        }

        static void make(Path dir, String password) throws IOException, InterruptedException {
            keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", BROKER_KEYSTORE, "-storetype", STORE_TYPE, "-storepass", password,
                    "-keypass", password);
            keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", BROKER_KEYSTORE,
                    "-storepass", password, "-file", "broker.crt");
            keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", "broker.crt",
                    "-keystore", CLIENT_TRUSTSTORE, "-storetype", STORE_TYPE, "-storepass", password);
            keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=" + USER, "-keystore", CLIENT_KEYSTORE, "-storetype", STORE_TYPE,
                    "-storepass", password, "-keypass", password);
            keytool(dir, "-exportcert", "-rfc", "-alias", "client", "-keystore", CLIENT_KEYSTORE,
                    "-storepass", password, "-file", "client.crt");
            keytool(dir, "-importcert", "-noprompt", "-alias", "client", "-file", "client.crt",
                    "-keystore", BROKER_TRUSTSTORE, "-storetype", STORE_TYPE, "-storepass", password);
        }

        private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        }
    }
}
