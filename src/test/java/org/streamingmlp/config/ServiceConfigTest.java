package org.streamingmlp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.optim.ScheduleConfig;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;

/** The {@code mlp.*} settings as Quarkus reads them, and the startup checks that name a bad key. */
class ServiceConfigTest {

    static ServiceConfig read(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())   // "200ms", as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(ServiceConfig.class);
    }

    @Test
    void defaultsMatchTheReadme() {
        ServiceConfig config = read(Map.of());
        assertEquals(4, config.model().inputSize());
        assertEquals(java.util.List.of(96, 96), config.model().hiddenSizes());
        assertEquals(0.8, config.optimizer().beta1());
        assertEquals(5.0, config.training().maxGradNorm());
        assertEquals(Activation.RELU, config.model().activation());
        assertEquals(LossKind.CROSS_ENTROPY, config.training().loss());
        assertEquals(32, config.training().batchSize());
        assertEquals("mlp.dlq", config.topics().dlq());
        LearnerSettings.checkServiceSettings(config);
    }

    @Test
    void kebabCaseNamesSelectEnums() {
        ServiceConfig config = read(Map.of("mlp.model.activation", "leaky-relu", "mlp.training.loss", "bce-with-logits"));
        assertEquals(Activation.LEAKY_RELU, config.model().activation());
        assertEquals(LossKind.BCE_WITH_LOGITS, config.training().loss());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "mlp.training.batch-size, 0",
            "mlp.training.queue-capacity, -1",
            "mlp.training.validate-every-steps, 0",
            "mlp.records.max-bytes, 0",
            "mlp.training.max-batch-wait, 0s",
            "mlp.metrics.interval, 1ms",
    })
    void aBadServiceSettingNamesItsKey(String key, String value) {
        ServiceConfig config = read(Map.of(key, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnerSettings.checkServiceSettings(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "mlp.model.dropout, 1.5",
            "mlp.model.input-size, 0",
            "mlp.optimizer.learning-rate, -0.1",
            "mlp.optimizer.beta2, 1.0",
            "mlp.schedule.total-steps, 0",
            "mlp.training.max-grad-norm, 0",
    })
    void aBadModelSettingNamesItsKey(String key, String value) {
        ServiceConfig config = read(Map.of(key, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnerSettings.trainingConfig(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void buildsTheCoreConfiguration() {
        TrainingConfig training = LearnerSettings.trainingConfig(read(Map.of("mlp.model.hidden-sizes", "8")));
        assertEquals(java.util.List.of(8), training.model().hiddenSizes());
        assertEquals(0.003, training.optimizer().learningRate(), 0);
        assertTrue(training.standardizeFeatures());
        assertEquals(ScheduleConfig.Kind.CONSTANT, training.schedule().kind());
        assertEquals(0.01, training.optimizer().weightDecay(), 0);
    }
}
