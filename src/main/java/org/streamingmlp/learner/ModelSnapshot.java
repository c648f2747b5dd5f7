package org.streamingmlp.learner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.streamingmlp.nn.Mlp;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Parameters;

/**
 * Immutable, versioned copy of the model: parameters and normalisation running statistics, taken at a given
 * optimizer step. It has its own copy of the weights, so predicting never blocks or sees training. Thread-safe and
 * lock-free: {@link #predict} runs in a workspace taken from the model's {@link Inference} pool, so any number of
 * threads predict in parallel, with this snapshot or another.
 *
 * <p>Cost: the service takes a snapshot after every optimizer step, so taking one is a single bulk copy of the flat
 * parameter buffer into a heap array (about 1 MB for 784-256-256-10; no ND4J allocation, no re-initialisation). The
 * off-heap model that {@link #predict} needs is built from that copy on the first prediction only, so snapshots
 * that are never asked to predict cost nothing more; the workspaces are reused across snapshots.
 */
public final class ModelSnapshot {
    private final long version;
    private final long step;
    private final TrainingConfig config;
    /** Parameter layout (names, offsets, shapes): immutable, shared with the model the snapshot came from. */
    private final Map<String, Parameters.Slot> slots;
    /** The flat parameter buffer; float32 models fill {@code values32}, float64 models {@code values64}. */
    private final float[] values32;
    private final double[] values64;
    private final Map<String, double[]> runningStats;
    /** The model's standardisation stage at this step: predictions take raw features. */
    private final FeatureScaling scaling;
    /** The forward passes, shared by every snapshot of the same model. */
    private final Inference inference;
    /** {@link #maxAbsParameter()}, once asked (a benign race: every thread computes the same value). */
    private volatile Double maxAbsParameter;

    ModelSnapshot(long version, long step, Mlp source, FeatureScaling scaling, Inference inference) {
        this.version = version;
        this.scaling = scaling;
        this.inference = inference;
        this.step = step;
        this.config = inference.config();
        Parameters p = source.parameters();
        this.slots = p.slots();
        NumericBuffer values = p.values();
        if (values.isFloat32()) {
            this.values32 = new float[values.length()];
            this.values64 = null;
            values.readFirst(values32, values32.length);
        } else {
            this.values32 = null;
            this.values64 = new double[values.length()];
            values.readFirst(values64, values64.length);
        }
        Map<String, double[]> stats = new LinkedHashMap<>();
        source.buffers().forEach((name, b) -> stats.put(name, b.toDoubleArray()));
        this.runningStats = Collections.unmodifiableMap(stats);
    }

    /**
     * Rebuilds a snapshot from its parts, e.g. one received from the model topic or read from a checkpoint:
     * {@code parameters} must hold exactly the model's parameter names with the right lengths (row-major), and
     * {@code buffers} exactly its running-statistics names (empty without BATCH_NORM).
     */
    public static ModelSnapshot of(long version, long step, TrainingConfig config, Map<String, float[]> parameters,
                                   Map<String, double[]> buffers) {
        return of(version, step, config, parameters, buffers, FeatureScaling.IDENTITY);
    }

    /** {@link #of(long, long, TrainingConfig, Map, Map)} with the feature standardisation the model learned under. */
    public static ModelSnapshot of(long version, long step, TrainingConfig config, Map<String, float[]> parameters,
                                   Map<String, double[]> buffers, FeatureScaling scaling) {
        if (config == null || parameters == null || buffers == null || scaling == null) {
            throw new IllegalArgumentException("config, parameters and buffers must not be null");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Mlp model = Mlp.uninitialised(config.model(), config.dataType());
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
        return new ModelSnapshot(version, step, model, scaling, new Inference(config));
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

    /** The feature standardisation these parameters were trained under ({@link FeatureScaling#IDENTITY}: none). */
    public FeatureScaling featureScaling() {
        return scaling;
    }

    /**
     * Evaluation-mode outputs {@code [N, outputSize]} after the head: softmax for CROSS_ENTROPY and FOCAL, sigmoid for
     * BCE_WITH_LOGITS, raw outputs for regression losses and CONTRASTIVE embeddings.
     */
    public float[][] predict(float[][] features) {
        return predict(features, null);
    }

    /** {@link #predict(float[][])} with one row of category indices per example (null without categorical fields). */
    public float[][] predict(float[][] features, int[][] categories) {
        return inference.predict(this, features, categories);
    }

    /** Index of the largest output (the predicted class of a classifier); the first one on ties. */
    public static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Parameters by PyTorch name ({@code fc1.weight} flattened row-major {@code [out,in]}); defensive copies. */
    public Map<String, float[]> parameters() {
        Map<String, float[]> out = new LinkedHashMap<>();
        slots.values().forEach(slot -> {
            float[] v = new float[slot.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values32 != null ? values32[slot.offset() + i] : (float) values64[slot.offset() + i];
            }
            out.put(slot.name(), v);
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The largest parameter magnitude, or NaN if a parameter is not a finite number; reads the snapshot in place
     * (no copy: {@code GET /model} asks for it on every call).
     */
    public double maxAbsParameter() {
        Double known = maxAbsParameter;   // computed once: the snapshot never changes
        if (known == null) {
            known = scanMaxAbsParameter();
            maxAbsParameter = known;
        }
        return known;
    }

    /**
     * Over the magnitudes' bit patterns, without a branch per element: for a float or double with its sign bit
     * cleared, the order of the bit patterns (as integers) is the order of the values, and every infinity or NaN
     * lies above the largest finite value. So one integer maximum, which the JIT vectorises, gives both the largest
     * magnitude and whether any parameter is not finite; {@code GET /model} scans each new snapshot (one every
     * {@code mlp.training.snapshot-interval} while training), and the per-element branches and {@code Math.max}
     * made that scan the largest cost of the request.
     */
    private double scanMaxAbsParameter() {
        if (values32 != null) {
            int maxBits = 0;
            for (float v : values32) {
                maxBits = Math.max(maxBits, Float.floatToRawIntBits(v) & 0x7fffffff);
            }
            return maxBits >= 0x7f800000 ? Double.NaN : Float.intBitsToFloat(maxBits);
        }
        long maxBits = 0;
        for (double v : values64) {
            maxBits = Math.max(maxBits, Double.doubleToRawLongBits(v) & 0x7fffffffffffffffL);
        }
        return maxBits >= 0x7ff0000000000000L ? Double.NaN : Double.longBitsToDouble(maxBits);
    }

    /** Each parameter's shape by PyTorch name ({@code fc1.weight}: {@code [out, in]}); copies. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        slots.values().forEach(slot -> out.put(slot.name(), slot.shape().clone()));
        return Collections.unmodifiableMap(out);
    }

    /** Normalisation running statistics by name ({@code bn1.running_mean}, {@code bn1.running_var}); copies. */
    public Map<String, double[]> buffers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        runningStats.forEach((name, v) -> out.put(name, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    /** Copies this snapshot's state into {@code target} (same architecture): one bulk write of the flat buffer. */
    void copyInto(Mlp target) {
        NumericBuffer values = target.parameters().values();
        if (values32 != null) {
            values.writeFirst(values32, values32.length);
        } else {
            values.writeFirst(values64, values64.length);
        }
        Map<String, NumericBuffer> targetStats = target.buffers();
        runningStats.forEach((name, v) -> targetStats.get(name).setAll(v));
    }
}
