package org.streamingmlp.eval;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.yahoo.labs.samoa.instances.Instance;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.streamingmlp.config.LearnerSettings;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;

/**
 * The service's learner in process, built by the service's own recipe: {@link ServiceConfig} with its
 * {@code @WithDefault}s (plus the stream's input and output sizes and any {@code mlp.*} overrides), turned into an
 * {@link OnlineLearner} by {@link LearnerSettings}, fed micro-batches of {@code mlp.training.batch-size} examples as the
 * trainer is: each batch is predicted by the current model ({@link OnlineLearner#predictThenLearn}), then learned.
 * What the service does with a validation topic (early stopping, drift detection on validation loss) is not here:
 * these streams have none.
 */
final class MlpContender implements Contender {

    private final String name;
    private final OnlineLearner learner;
    private final int batchSize;
    private final int inputs;

    /**
     * @param overrides {@code mlp.*} settings on top of the service's defaults
     */
    MlpContender(String name, int inputs, int classes, Map<String, String> overrides) {
        this.name = name;
        this.inputs = inputs;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("mlp.model.input-size", Integer.toString(inputs));
        properties.put("mlp.model.output-size", Integer.toString(classes));
        properties.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "evaluation", 500)).build();
        ServiceConfig service = config.getConfigMapping(ServiceConfig.class);
        LearnerSettings.checkServiceSettings(service);
        this.learner = new OnlineLearner(LearnerSettings.trainingConfig(service));
        this.batchSize = service.training().batchSize();
    }

    @Override
    public String name() {
        return name;
    }

    /** The service's batch size: the evaluation hands chunks of this many examples. */
    int batchSize() {
        return batchSize;
    }

    @Override
    public int[] predictThenLearn(Instance[] chunk) {
        int[] predicted = new int[chunk.length];
        for (int from = 0; from < chunk.length; from += batchSize) {
            int n = Math.min(batchSize, chunk.length - from);
            float[][] x = new float[n][];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = features(chunk[from + i]);
                y[i] = (int) chunk[from + i].classValue();
            }
            float[][] outputs = learner.predictThenLearn(x, null, new Targets.Classes(y), null).predictions();
            for (int i = 0; i < n; i++) {
                predicted[from + i] = ModelSnapshot.argmax(outputs[i]);
            }
        }
        return predicted;
    }

    /** Every attribute but the class, in order; a nominal attribute as its value's index. */
    private float[] features(Instance instance) {
        float[] x = new float[inputs];
        int classIndex = instance.classIndex();
        for (int a = 0, j = 0; a < instance.numAttributes(); a++) {
            if (a != classIndex) {
                x[j++] = (float) instance.value(a);
            }
        }
        return x;
    }
}
