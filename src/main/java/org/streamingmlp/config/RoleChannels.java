package org.streamingmlp.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Turns {@code mlp.role} into the messaging channels that run, so one artifact and one application.properties
 * serve every role: a predictor has no training or validation consumer (it would join the trainer's groups and
 * take its partitions) and reads the model topic instead, its request consumer starting paused until it holds a
 * snapshot; a trainer leaves the request topic to the predictors. Registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; its values rank above application.properties
 * and below environment variables and system properties.
 */
public final class RoleChannels implements ConfigSourceFactory {

    static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("mlp.role");
        Role role = parse(value == null ? null : value.getValue());
        return List.of(new PropertiesConfigSource(channelSettings(role), "mlp.role channels", ORDINAL));
    }

    /** The channel attributes for {@code role}. */
    static Map<String, String> channelSettings(Role role) {
        Map<String, String> settings = new HashMap<>();
        enable(settings, "training", role.trains());
        enable(settings, "validation", role.trains());
        enable(settings, "prediction-requests", role.answersRequests());
        enable(settings, "model-updates", role.readsModelTopic());
        if (role.readsModelTopic()) {
            settings.put("mp.messaging.incoming.prediction-requests.pausable", "true");
            settings.put("mp.messaging.incoming.prediction-requests.initially-paused", "true");
        }
        return settings;
    }

    private static void enable(Map<String, String> settings, String channel, boolean enabled) {
        settings.put("mp.messaging.incoming." + channel + ".enabled", Boolean.toString(enabled));
    }

    /** Unknown values are left to the typed mapping, which fails startup naming {@code mlp.role}. */
    private static Role parse(String value) {
        if (value == null || value.isBlank()) {
            return Role.ALL_IN_ONE;
        }
        for (Role role : Role.values()) {
            if (role.configName().equals(value.trim().toLowerCase(Locale.ROOT))
                    || role.name().equalsIgnoreCase(value.trim())) {
                return role;
            }
        }
        return Role.ALL_IN_ONE;
    }
}
