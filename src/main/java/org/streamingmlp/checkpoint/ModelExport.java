package org.streamingmlp.checkpoint;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.streamingmlp.learner.FeatureScaling;

/**
 * A model for use elsewhere: its parameters and running statistics as one safetensors file (PyTorch names,
 * {@code [out, in]} weights, float32) and a JSON description of what they mean: the configuration they were trained
 * under (sizes, activation, normalisation, loss, class names, feature schema), the feature standardisation to apply
 * before the first layer, and each tensor's shape. The description also travels in the file's
 * {@code __metadata__} under {@value #DESCRIPTION_KEY}, so the safetensors file alone is complete.
 */
public final class ModelExport {

    public static final String DESCRIPTION_KEY = "description";
    public static final String FORMAT = "streaming-mlp-model/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] safetensors;
    private final ObjectNode description;

    private ModelExport(byte[] safetensors, ObjectNode description) {
        this.safetensors = safetensors;
        this.description = description;
    }

    /**
     * @param parameters    by PyTorch name, row-major
     * @param shapes        each parameter's shape
     * @param buffers       running statistics by name (vectors)
     * @param scaling       the standardisation the parameters were trained under
     * @param configuration the model's settings by key (as checkpoints record them)
     */
    public static ModelExport of(long modelVersion, long step, Map<String, double[]> parameters,
                                 Map<String, long[]> shapes, Map<String, double[]> buffers, FeatureScaling scaling,
                                 SortedMap<String, String> configuration) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, values) -> tensors.put(name, f32(shapes.get(name), values)));
        buffers.forEach((name, values) -> tensors.put(name, f32(new long[] {values.length}, values)));
        ObjectNode description = JSON.createObjectNode().put("format", FORMAT).put("modelVersion", modelVersion)
                .put("step", step);
        ObjectNode tensorShapes = description.putObject("tensors");
        tensors.forEach((name, t) -> {
            var shape = tensorShapes.putArray(name);
            for (long d : t.shape()) {
                shape.add(d);
            }
        });
        ObjectNode standardize = description.putObject("featureScaling");
        standardize.put("examples", scaling.count());
        var mean = standardize.putArray("mean");
        var std = standardize.putArray("std");
        double[] m = scaling.mean();
        double[] m2 = scaling.sumOfSquaredDeviations();
        for (int j = 0; j < m.length; j++) {
            mean.add(m[j]);
            std.add(Math.sqrt(m2[j] / scaling.count() + 1e-8));
        }
        standardize.put("formula", m.length == 0 ? "none: features enter the first layer as they are"
                : "(x - mean) / std before the first layer");
        ObjectNode config = description.putObject("configuration");
        configuration.forEach(config::put);
        byte[] file = SafeTensors.encode(tensors, Map.of("format", "pt", DESCRIPTION_KEY, description.toString()));
        return new ModelExport(file, description);
    }

    /** The model of a checkpoint, as that checkpoint holds it. */
    public static ModelExport of(Checkpoint checkpoint) {
        return of(checkpoint.modelVersion(), checkpoint.training().step(), checkpoint.training().parameters(),
                checkpoint.learning().shapes(), checkpoint.training().buffers(),
                checkpoint.training().standardization(), checkpoint.configuration());
    }

    /** Reads the description back out of an exported safetensors file. */
    public static JsonNode description(byte[] safetensors) throws IOException {
        String json = SafeTensors.metadata(safetensors).get(DESCRIPTION_KEY);
        if (json == null) {
            throw new IOException("the safetensors file has no '" + DESCRIPTION_KEY + "' metadata");
        }
        return JSON.readTree(json);
    }

    public byte[] safetensors() {
        return safetensors.clone();
    }

    public ObjectNode description() {
        return description.deepCopy();
    }

    private static SafeTensors.Tensor f32(long[] shape, double[] values) {
        return new SafeTensors.Tensor(shape, values, false);
    }
}
