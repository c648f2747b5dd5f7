package org.streamingmlp.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.config.LearnerSettings;
import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;

/**
 * A checkpoint is one record with the configuration it was written under: a restart under a configuration that
 * changes what its parameters mean is refused, naming the key and both values; a change in how it goes on learning
 * is accepted.
 */
class ModelBootstrapTest {

    @TempDir
    Path dir;

    private Map<String, String> schema(String numeric) {
        Map<String, String> properties = new HashMap<>();
        properties.put("mlp.checkpoint.dir", dir.toString());
        properties.put("mlp.model.input-size", "2");
        properties.put("mlp.model.hidden-sizes", "4");
        properties.put("mlp.features.numeric", numeric);
        properties.put("mlp.features.categorical.color.values", "red,green,blue");
        return properties;
    }

    private static ServiceConfig read(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build().getConfigMapping(ServiceConfig.class);
    }

    private static ModelBootstrap start(Map<String, String> properties) {
        ServiceConfig config = read(properties);
        return ModelBootstrap.start(config, LearnerSettings.trainingConfig(config));
    }

    /** Trains a step under {@code properties} and checkpoints it as the service's trainer would. */
    private void checkpointUnder(Map<String, String> properties) throws Exception {
        ModelBootstrap bootstrap = start(properties);
        OnlineLearner learner = bootstrap.learner();
        learner.learnMany(new float[][] {{1, 2}, {3, 4}}, new int[][] {{1}, {2}}, new Targets.Classes(new int[] {0, 1}),
                null);
        new CheckpointStore(dir, 3).write(new Checkpoint(1, 2, new Checkpoint.Learning(learner.trainingState(), 0,
                learner.parameterShapes(), null), new Checkpoint.Positions(Map.of("mlp.train-0", 2L), Map.of()),
                bootstrap.configuration()));
    }

    @Test
    void aCheckpointWrittenUnderOneFeatureSchemaIsRefusedUnderAReorderedOne() throws Exception {
        checkpointUnder(schema("age,income"));

        ModelConfiguration.IncompatibleCheckpointException e = assertThrows(
                ModelConfiguration.IncompatibleCheckpointException.class, () -> start(schema("income,age")));
        assertTrue(e.getMessage().contains("mlp.features.numeric=age,income"), e.getMessage());
        assertTrue(e.getMessage().contains("mlp.features.numeric=income,age"), e.getMessage());
    }

    @Test
    void reorderedCategoriesAndAnotherLossAreRefusedToo() throws Exception {
        checkpointUnder(schema("age,income"));

        Map<String, String> categories = schema("age,income");
        categories.put("mlp.features.categorical.color.values", "blue,green,red");
        assertThrows(ModelConfiguration.IncompatibleCheckpointException.class, () -> start(categories));
        Map<String, String> loss = schema("age,income");
        loss.put("mlp.training.loss", "focal");
        assertTrue(assertThrows(ModelConfiguration.IncompatibleCheckpointException.class, () -> start(loss))
                .getMessage().contains("mlp.training.loss=cross-entropy"));
    }

    @Test
    void aNewLearningRateIsAcceptedAndTheModelResumes() throws Exception {
        checkpointUnder(schema("age,income"));

        Map<String, String> faster = schema("age,income");
        faster.put("mlp.optimizer.learning-rate", "0.01");
        ModelBootstrap resumed = start(faster);
        assertEquals(1, resumed.learner().step(), "the checkpoint's step was restored");
        assertEquals(1, resumed.restoredVersion());
        assertEquals("0.01", resumed.configuration().get("mlp.optimizer.learning-rate"),
                "new checkpoints record the new setting");
    }
}
