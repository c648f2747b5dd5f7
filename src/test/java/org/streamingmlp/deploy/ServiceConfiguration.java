package org.streamingmlp.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.utils.StringUtil;

import org.streamingmlp.config.ServiceConfig;

/**
 * The application's configuration as the deployment files (k8s/, docker/) must name it: the {@code mlp.*} keys of
 * {@link ServiceConfig} and their environment variables, their defaults, and the Quarkus settings of
 * {@code application.properties} that fix ports and paths. Also the names issue #10 adds that the code does not
 * define yet ({@link #PENDING_KEYS}): the manifests use them already.
 */
final class ServiceConfiguration {

    /**
     * Keys of the roles (issue #10) that ServiceConfig does not define yet. The manifests set their environment
     * variables (MLP_ROLE, MLP_INSTANCE_ID) and the Strimzi overlay creates the model topic under its default name.
     * Once ServiceConfig defines one, remove it here: {@code KubernetesManifestsTest} fails until then, so that the
     * check of the manifests against the real key takes over.
     */
    static final Set<String> PENDING_KEYS = Set.of();

    /** Default of the pending {@code mlp.topics.model}. */
    static final String PENDING_MODEL_TOPIC = "mlp.model";

    /**
     * Kafka client settings from the environment (issue #10) that application.properties does not read yet; the
     * manifests pass them from the Secret streaming-mlp-kafka. Remove a name here once application.properties
     * reads it (as {@code ${NAME}} or {@code ${NAME:default}}).
     */
    static final Set<String> PENDING_KAFKA_ENVIRONMENT = Set.of(
            "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "KAFKA_SSL_TRUSTSTORE_TYPE",
            "KAFKA_SSL_KEYSTORE_LOCATION", "KAFKA_SSL_KEYSTORE_PASSWORD", "KAFKA_SSL_KEYSTORE_TYPE");

    /**
     * Quarkus settings issue #10 needs in application.properties (the probes and Prometheus use the management
     * interface on port 9000). Remove one here once application.properties has it.
     */
    static final Set<String> PENDING_PROPERTIES = Set.of("quarkus.management.enabled=true");

    /** Variables of the container, not of the configuration: the JVM's options and the native BLAS. */
    static final Set<String> CONTAINER_ENVIRONMENT = Set.of("JAVA_OPTS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE");

    private final Set<String> keys;
    private final SmallRyeConfig defaults;
    private final Properties properties = new Properties();

    ServiceConfiguration(Path repository) throws IOException {
        keys = new TreeSet<>(ConfigMappings.getProperties(
                ConfigMappings.ConfigClass.configClass(ServiceConfig.class, "mlp")).keySet());
        defaults = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build();
        try (Reader reader = Files.newBufferedReader(repository.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
    }

    /** Every key of ServiceConfig; a map's or a list's element is {@code *} ({@code mlp.features.categorical.*.values}). */
    Set<String> keys() {
        return keys;
    }

    boolean defines(String key) {
        return keys.contains(key);
    }

    /** The default of a ServiceConfig key, as the service reads it without any other source. */
    String defaultOf(String key) {
        return defaults.getConfigValue(key).getValue();
    }

    /**
     * The ServiceConfig key an environment variable sets (SmallRye: upper case, every other character {@code _}),
     * or null. {@code MLP_FEATURES_CATEGORICAL_COLOUR_VALUES} sets {@code mlp.features.categorical.*.values}.
     */
    String keyOfEnvironmentVariable(String name) {
        for (String key : keys) {
            if (key.endsWith("[*]")) {
                continue;
            }
            String pattern = Pattern.quote(StringUtil.replaceNonAlphanumericByUnderscores(key).toUpperCase())
                    .replace("_*_", "\\E_[A-Z0-9_]+_\\Q");
            if (Pattern.matches(pattern, name)) {
                return key;
            }
        }
        return null;
    }

    /** Environment variable of a key: {@code mlp.checkpoint.dir} is {@code MLP_CHECKPOINT_DIR}. */
    static String environmentVariable(String key) {
        return StringUtil.replaceNonAlphanumericByUnderscores(key).toUpperCase();
    }

    /** A Quarkus setting of the production profile ({@code %prod.key} over {@code key}), or its Quarkus default. */
    String property(String key, String quarkusDefault) {
        return properties.getProperty("%prod." + key, properties.getProperty(key, quarkusDefault));
    }

    /** Whether application.properties has {@code key=value} (for the production profile). */
    boolean hasProperty(String keyEqualsValue) {
        int eq = keyEqualsValue.indexOf('=');
        return keyEqualsValue.substring(eq + 1).equals(property(keyEqualsValue.substring(0, eq), null));
    }

    /** Whether some application.properties value reads the environment variable ({@code ${NAME}}, {@code ${NAME:x}}). */
    boolean readsEnvironmentVariable(String name) {
        Pattern reference = Pattern.compile("\\$\\{" + Pattern.quote(name) + "[:}]");
        return properties.values().stream().anyMatch(v -> reference.matcher(v.toString()).find());
    }

    /**
     * Whether an environment variable of a container sets something the application reads: MLP_* a key of
     * ServiceConfig (or a pending one), KAFKA_* a variable application.properties reads (or a pending one), or one
     * of the container's own ({@link #CONTAINER_ENVIRONMENT}).
     */
    boolean isSetting(String name) {
        if (CONTAINER_ENVIRONMENT.contains(name)) {
            return true;
        }
        if (name.startsWith("MLP_")) {
            return keyOfEnvironmentVariable(name) != null
                    || PENDING_KEYS.stream().map(ServiceConfiguration::environmentVariable).anyMatch(name::equals);
        }
        if (name.startsWith("KAFKA_")) {
            return readsEnvironmentVariable(name) || PENDING_KAFKA_ENVIRONMENT.contains(name);
        }
        return false;
    }

    /** The key of the checkpoint directory ({@code mlp.checkpoint.dir}). */
    String checkpointDirectoryKey() {
        return keys.stream().filter(k -> k.matches("mlp\\.checkpoints?\\.dir")).findFirst()
                .orElseThrow(() -> new AssertionError("ServiceConfig has no checkpoint directory key"));
    }

    /** HTTP port of the API. */
    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port", "8080"));
    }

    /** Port of the management interface: health and metrics. */
    int managementPort() {
        return Integer.parseInt(property("quarkus.management.port", "9000"));
    }

    /** Path of a health check on the management interface: {@code live}, {@code ready} or {@code started}. */
    String healthPath(String check) {
        String leaf = property("quarkus.smallrye-health." + switch (check) {
            case "live" -> "liveness-path";
            case "ready" -> "readiness-path";
            case "started" -> "startup-path";
            default -> throw new IllegalArgumentException(check);
        }, check);
        return join(managementRoot(), property("quarkus.smallrye-health.root-path", "health"), leaf);
    }

    /** Path of the Prometheus metrics on the management interface. */
    String metricsPath() {
        return join(managementRoot(), property("quarkus.micrometer.export.prometheus.path", "metrics"));
    }

    private String managementRoot() {
        return property("quarkus.management.root-path", "/q");
    }

    private static String join(String... parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (part.startsWith("/")) {
                path.setLength(0);   // an absolute path replaces its parents, as in Quarkus
            }
            path.append(path.length() == 0 || part.startsWith("/") ? "" : "/").append(part.replaceAll("/$", ""));
        }
        return path.toString();
    }
}
