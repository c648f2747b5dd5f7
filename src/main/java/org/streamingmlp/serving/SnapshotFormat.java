package org.streamingmlp.serving;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.streamingmlp.checkpoint.SafeTensors;
import org.streamingmlp.learner.FeatureScaling;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.TrainingConfig;

/**
 * A {@link ModelSnapshot} as bytes, for the model topic: one safetensors file (the format of the checkpoints, so
 * PyTorch can read a snapshot too) holding the parameters by PyTorch name, the normalisation running statistics,
 * and the feature standardisation stage. Version, step and configuration travel in the {@link ModelRelease}.
 */
public final class SnapshotFormat {

    private static final String SCALING_MEAN = "standardizer.mean";
    private static final String SCALING_M2 = "standardizer.m2";
    private static final String SCALING_COUNT = "standardizer.count";

    private SnapshotFormat() {
    }

    public static byte[] encode(ModelSnapshot snapshot) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        snapshot.parameters().forEach((name, values) ->
                tensors.put(name, SafeTensors.Tensor.f32(new long[]{values.length}, values)));
        snapshot.buffers().forEach((name, values) ->
                tensors.put(name, new SafeTensors.Tensor(new long[]{values.length}, values, true)));
        FeatureScaling scaling = snapshot.featureScaling();
        if (scaling.count() > 0) {
            double[] mean = scaling.mean();
            tensors.put(SCALING_MEAN, new SafeTensors.Tensor(new long[]{mean.length}, mean, true));
            double[] m2 = scaling.sumOfSquaredDeviations();
            tensors.put(SCALING_M2, new SafeTensors.Tensor(new long[]{m2.length}, m2, true));
        }
        return SafeTensors.encode(tensors, Map.of(SCALING_COUNT, Long.toString(scaling.count())));
    }

    /**
     * The snapshot the bytes hold, for a model built from {@code config}.
     *
     * @throws IOException              if the bytes are not a safetensors file
     * @throws IllegalArgumentException if they hold another architecture's tensors
     */
    public static ModelSnapshot decode(byte[] bytes, long version, long step, TrainingConfig config)
            throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.decode(bytes));
        long count = Long.parseLong(SafeTensors.metadata(bytes).getOrDefault(SCALING_COUNT, "0"));
        SafeTensors.Tensor mean = tensors.remove(SCALING_MEAN);
        SafeTensors.Tensor m2 = tensors.remove(SCALING_M2);
        FeatureScaling scaling = count == 0 || mean == null || m2 == null ? FeatureScaling.IDENTITY
                : new FeatureScaling(count, mean.values(), m2.values());
        Map<String, float[]> parameters = new LinkedHashMap<>();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (tensor.float64()) {
                buffers.put(name, tensor.values());
            } else {
                parameters.put(name, tensor.floats());
            }
        });
        return ModelSnapshot.of(version, step, config, parameters, buffers, scaling);
    }
}
