package org.streamingmlp.learner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.Mlp;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Softmax;

/**
 * Immutable, versioned copy of the model: parameters and normalisation running statistics, taken at a given
 * optimizer step. It has its own copy of the weights, so predicting never blocks or sees training. Thread-safe:
 * {@link #predict} is serialised per snapshot (it reuses one set of work arrays); different snapshots predict in
 * parallel.
 */
public final class ModelSnapshot {
    private final long version;
    private final long step;
    private final TrainingConfig config;
    private final Mlp model;
    private final BatchConverter converter;

    ModelSnapshot(long version, long step, TrainingConfig config, Mlp source) {
        this.version = version;
        this.step = step;
        this.config = config;
        this.model = Mlp.copyOf(source, config.seed()); // bulk copy, no re-initialisation
        this.converter = new BatchConverter(config.model(), config.dataType());
    }

    /**
     * Rebuilds a snapshot from its parts, e.g. one received from the model topic or read from a checkpoint:
     * {@code parameters} must hold exactly the model's parameter names with the right lengths (row-major), and
     * {@code buffers} exactly its running-statistics names (empty without BATCH_NORM).
     */
    public static ModelSnapshot of(long version, long step, TrainingConfig config, Map<String, float[]> parameters,
                                   Map<String, double[]> buffers) {
        if (config == null || parameters == null || buffers == null) {
            throw new IllegalArgumentException("config, parameters and buffers must not be null");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Mlp model = new Mlp(config.model(), config.dataType(), config.seed());
        if (!parameters.keySet().equals(model.parameters().slots().keySet())) {
            throw new IllegalArgumentException("snapshot parameters " + parameters.keySet()
                    + " do not match the model's " + model.parameters().slots().keySet());
        }
        if (!buffers.keySet().equals(model.buffers().keySet())) {
            throw new IllegalArgumentException("snapshot buffers " + buffers.keySet()
                    + " do not match the model's " + model.buffers().keySet());
        }
        parameters.forEach((name, values) -> {
            NumericBuffer target = model.parameters().values(name);
            if (values.length != target.length()) {
                throw new IllegalArgumentException(name + " must have " + target.length() + " values, got "
                        + values.length);
            }
            target.write(0, values);
        });
        buffers.forEach((name, values) -> model.buffers().get(name).setAll(values));
        return new ModelSnapshot(version, step, config, model);
    }

    public long version() {
        return version;
    }

    /** Optimizer steps the model had taken when the snapshot was made. */
    public long step() {
        return step;
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Evaluation-mode outputs {@code [N, outputSize]} after the head: softmax for CROSS_ENTROPY and FOCAL, sigmoid for
     * BCE_WITH_LOGITS, raw outputs for regression losses and CONTRASTIVE embeddings.
     */
    public synchronized float[][] predict(float[][] features) {
        INDArray out = model.forward(converter.features(features), false);
        int n = (int) out.rows();
        int k = (int) out.columns();
        NumericBuffer ob = NumericBuffer.of(out);
        switch (config.loss()) {
            case CROSS_ENTROPY, FOCAL -> Softmax.forward(ob, ob, n, k);
            case BCE_WITH_LOGITS -> {
                for (int i = 0; i < n * k; i++) {
                    ob.set(i, Activation.sigmoid(ob.get(i)));
                }
            }
            default -> { }
        }
        float[][] result = new float[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                result[i][j] = (float) ob.get(i * k + j);
            }
        }
        return result;
    }

    /** Parameters by PyTorch name ({@code fc1.weight} flattened row-major {@code [out,in]}); defensive copies. */
    public Map<String, float[]> parameters() {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.parameters().slots().keySet().forEach(n -> out.put(n, model.parameters().values(n).toFloatArray()));
        return Collections.unmodifiableMap(out);
    }

    /** Like {@link #parameters()} at full float64 precision. */
    public Map<String, double[]> parametersFloat64() {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.parameters().slots().keySet().forEach(n -> out.put(n, model.parameters().values(n).toDoubleArray()));
        return Collections.unmodifiableMap(out);
    }

    /** Normalisation running statistics by name ({@code bn1.running_mean}, {@code bn1.running_var}); copies. */
    public Map<String, double[]> buffers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.buffers().forEach((name, b) -> out.put(name, b.toDoubleArray()));
        return Collections.unmodifiableMap(out);
    }

    /** Copies this snapshot's state into {@code target} (same architecture). */
    synchronized void copyInto(Mlp target) {
        target.copyStateFrom(model);
    }
}
