package org.streamingmlp.learner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.streamingmlp.nn.Loss;
import org.streamingmlp.nn.Mlp;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Parameters;
import org.streamingmlp.optim.AdamW;
import org.streamingmlp.optim.GradientClipping;
import org.streamingmlp.optim.LearningRateSchedule;

/**
 * Owns the model and trains it one mini-batch at a time. Each {@link #learnMany} is one optimizer step:
 * <pre>
 *   forward (training mode) -> loss -> backward -> clip global norm -> AdamW with lr = schedule(step) -> step++
 * </pre>
 * A non-finite loss or gradient norm skips the update (parameters, optimizer state and norm running statistics are
 * left as they were), counts it in {@link #skippedUpdates()} and reports it as {@link StepResult#skipped()}.
 * Nothing is repaired.
 *
 * <p>NOT thread-safe: exactly one thread calls learn/evaluate/restore. Readers use {@link #snapshot}.
 */
public final class OnlineLearner {
    private final TrainingConfig config;
    private final Mlp model;
    private final Loss loss;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final BatchConverter converter;
    /** Forward passes of this model's snapshots. */
    private final Inference inference;
    /** The model's standardisation stage; null when {@link TrainingConfig#standardizeFeatures()} is off. */
    private final FeatureStandardizer standardizer;
    private long step;
    private long skipped;
    /** Step at which the current schedule cycle began: 0, or the step of the last {@link #restartSchedule()}. */
    private long scheduleOrigin;

    public OnlineLearner(TrainingConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("training config must not be null");
        }
        this.config = config;
        this.model = new Mlp(config.model(), config.dataType(), config.seed());
        this.loss = config.loss().create();
        this.optimizer = new AdamW(config.optimizer(), model.parameters().size(), config.dataType(),
                model.helperParameterRanges());
        this.schedule = config.schedule().create(config.optimizer().learningRate());
        this.converter = new BatchConverter(config.model(), config.dataType());
        this.standardizer = config.standardizeFeatures() ? new FeatureStandardizer(config.model().inputSize()) : null;
        this.inference = new Inference(config);
    }

    public TrainingConfig config() {
        return config;
    }

    /** Optimizer steps taken (skipped updates are not counted). */
    public long step() {
        return step;
    }

    /** Updates skipped because the loss or gradient was non-finite. */
    public long skippedUpdates() {
        return skipped;
    }

    /**
     * One optimizer step on a mini-batch (training mode: dropout on, batch statistics). Malformed input (wrong
     * row length, class out of range, wrong kind of targets, fewer than 2 examples with BATCH_NORM) throws
     * IllegalArgumentException and changes nothing; non-finite values are not rejected here but make the step
     * skipped.
     */
    public StepResult learnMany(float[][] features, Targets targets) {
        return learnMany(features, null, targets, null);
    }

    /**
     * {@link #learnMany(float[][], Targets)} for a model with categorical fields, with optional per-example weights.
     *
     * @param categories one row of K category indices per example ({@code [0, cardinality]} per field, 0 = unseen);
     *                   may be null when the model has no categorical fields
     * @param weights    null (every example weighs 1), or one finite weight >= 0 per example with a positive sum:
     *                   the step then minimises {@code sum(w_i l_i) / sum(w_i)} (see {@link ExampleWeights}).
     *                   CONTRASTIVE takes no weights other than 1. The reported loss stays the unweighted mean.
     */
    public StepResult learnMany(float[][] features, int[][] categories, Targets targets, float[] weights) {
        return learnMany(features, categories, targets, weights, null);
    }

    /**
     * Prequential evaluation and learning in one step: the current model's evaluation-mode outputs for the batch (as
     * {@link #predict} gives them, before it learns), then {@link #learnMany} on the same batch. The first layers,
     * which compute the same in both modes, run once ({@link Mlp#forwardEvaluatedThenTraining}), so this costs much
     * less than a prediction and a step apart; the step is bit for bit the same as {@code learnMany}'s.
     */
    public Prequential predictThenLearn(float[][] features, int[][] categories, Targets targets, float[] weights) {
        if (standardizer != null) {
            // the statistics move with the batch: predict with the model as it was, then learn
            float[][] predictions = predict(features, categories);
            return new Prequential(predictions, learnMany(features, categories, targets, weights));
        }
        float[][][] predictions = new float[1][][];
        StepResult step = learnMany(features, categories, targets, weights,
                evaluated -> predictions[0] = Inference.head(evaluated, config));
        return new Prequential(predictions[0], step);
    }

    /** A batch's predictions before it was learned, and the step that learned it. */
    public record Prequential(float[][] predictions, StepResult step) {
    }

    private StepResult learnMany(float[][] features, int[][] categories, Targets targets, float[] weights,
                                 Consumer<INDArray> evaluated) {
        FeatureScaling before = featureScaling();
        if (standardizer != null) {
            standardizer.update(features);   // training mode: the statistics learn first, as BatchNorm's do
        }
        StepResult result;
        try {
            INDArray x = converter.features(featureScaling().apply(features), categories);
            INDArray t = converter.targets(targets, config.loss(), features.length);
            double[] factors = weights == null ? null
                    : ExampleWeights.rowFactors(weights, features.length, config.loss());
            result = learnBatch(x, t, factors, evaluated);
        } catch (RuntimeException e) {
            restoreScaling(before);
            throw e;
        }
        if (result.skipped()) {
            restoreScaling(before);   // a skipped step leaves no trace in the standardisation either
        }
        return result;
    }

    private void restoreScaling(FeatureScaling before) {
        if (standardizer != null) {
            standardizer.restore(before);
        }
    }

    /** Training rows the standardisation left out for a non-finite value (0 when it is off); not checkpointed. */
    public long ignoredScalingRows() {
        return standardizer == null ? 0 : standardizer.ignoredRows();
    }

    /**
     * Lower-level {@link #learnMany}: {@code features [N, inputColumns]} (numeric features, then the category
     * indices as exact numbers, see {@link org.streamingmlp.nn.MlpConfig#inputColumns()}) and {@code target} as
     * {@link Loss} expects it, both of the configured data type.
     */
    public StepResult learnBatch(INDArray features, INDArray target) {
        return learnBatch(features, target, null, null);
    }

    private StepResult learnBatch(INDArray features, INDArray target, double[] weightFactors,
                                  Consumer<INDArray> evaluated) {
        Map<String, double[]> savedBuffers = saveBuffers();
        try {
            return trainStep(features, target, weightFactors, savedBuffers, evaluated);
        } catch (RuntimeException e) {
            restoreBuffers(savedBuffers); // a rejected batch leaves no trace in the running statistics
            throw e;
        }
    }

    private StepResult trainStep(INDArray features, INDArray target, double[] weightFactors,
                                 Map<String, double[]> savedBuffers, Consumer<INDArray> evaluated) {
        model.reseedDropout(step);   // masks depend on the step only: nothing random to checkpoint
        INDArray output = evaluated == null ? model.forward(features, true)
                : model.forwardEvaluatedThenTraining(features, evaluated);
        INDArray gradOutput = converter.work("g", output.rows(), output.columns());
        double value = loss.compute(output, target, gradOutput);
        if (weightFactors != null) {
            ExampleWeights.scaleRows(gradOutput, weightFactors);
        }
        double lr = schedule.learningRate(step - scheduleOrigin);
        if (!Double.isFinite(value)) {
            return skip(savedBuffers, value, Double.NaN, lr);
        }
        // the gradient's squares are summed during backward, layer by layer, while each gradient is in the cache
        double norm = Math.sqrt(model.backward(gradOutput));
        Parameters p = model.parameters();
        if (!Double.isFinite(norm)) {
            return skip(savedBuffers, value, norm, lr);
        }
        // clipping is applied inside the update: g * coef, without rewriting the gradient buffer
        double coef = GradientClipping.coefficient(norm, config.maxGradNorm());
        optimizer.step(p.values(), p.gradients(), lr, p.weightLength(), coef);
        step++;
        return new StepResult(step, value, norm, lr, false);
    }

    private StepResult skip(Map<String, double[]> savedBuffers, double value, double norm, double lr) {
        skipped++;
        restoreBuffers(savedBuffers);
        return new StepResult(step, value, norm, lr, true);
    }

    /**
     * Running statistics before the step, to undo a skipped or rejected step; only BatchNorm has any, so without it
     * this is an empty map and costs nothing.
     */
    private Map<String, double[]> saveBuffers() {
        Map<String, NumericBuffer> buffers = model.buffers();
        if (buffers.isEmpty()) {
            return Map.of();
        }
        Map<String, double[]> saved = new LinkedHashMap<>();
        model.buffers().forEach((name, b) -> saved.put(name, b.toDoubleArray()));
        return saved;
    }

    private void restoreBuffers(Map<String, double[]> saved) {
        if (saved.isEmpty()) {
            return;
        }
        model.buffers().forEach((name, b) -> b.setAll(saved.get(name)));
    }

    /**
     * Starts the learning-rate schedule again from its first step (warmup, then the full cosine) at the current
     * optimizer step: a warm restart, used when training resumes after drift. Optimizer moments are kept.
     */
    public void restartSchedule() {
        scheduleOrigin = step;
    }

    /** Mean loss in evaluation mode (no dropout, running statistics); no update. */
    public double evaluateLoss(float[][] features, Targets targets) {
        return evaluateLoss(features, null, targets);
    }

    /** {@link #evaluateLoss(float[][], Targets)} with category indices (null without categorical fields). */
    public double evaluateLoss(float[][] features, int[][] categories, Targets targets) {
        INDArray x = converter.features(featureScaling().apply(features), categories);
        INDArray t = converter.targets(targets, config.loss(), features.length);
        return evaluateBatch(x, t);
    }

    /**
     * Outputs of the current model in evaluation mode (as {@link ModelSnapshot#predict} would give them), without
     * taking a snapshot: the trainer's own scoring, prequential (before it learns a batch) and on validation data.
     */
    public float[][] predict(float[][] features, int[][] categories) {
        INDArray x = converter.features(featureScaling().apply(features), categories);
        return Inference.head(model.forward(x, false), config);
    }

    /** Lower-level {@link #evaluateLoss} on ND4J arrays. */
    public double evaluateBatch(INDArray features, INDArray target) {
        return loss.compute(model.forward(features, false), target, null);
    }

    /** An immutable deep copy of the parameters and running statistics, tagged with {@code version}. */
    public ModelSnapshot snapshot(long version) {
        return new ModelSnapshot(version, step, model, featureScaling(), inference);
    }

    /** The standardisation the model applies to raw features now ({@link FeatureScaling#IDENTITY} when off). */
    public FeatureScaling featureScaling() {
        return standardizer == null ? FeatureScaling.IDENTITY : standardizer.scaling();
    }

    /**
     * Puts the snapshot's parameters and running statistics back (e.g. early stopping's restore-best). The optimizer
     * state, step count and skip count are kept: training continues from the restored weights.
     */
    public void restore(ModelSnapshot snapshot) {
        if (!snapshot.config().model().equals(config.model()) || snapshot.config().dataType() != config.dataType()) {
            throw new IllegalArgumentException("snapshot was taken from a different model configuration");
        }
        snapshot.copyInto(model);
        if (standardizer != null) {
            standardizer.restore(snapshot.featureScaling());
        }
    }

    /** Current parameter values by PyTorch name (copies, float64). */
    public Map<String, double[]> parameterValues() {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.parameters().slots().keySet().forEach(n -> out.put(n, model.parameters().values(n).toDoubleArray()));
        return out;
    }

    /** Overwrites the named parameters (flattened row-major), e.g. to load PyTorch weights. Unknown names fail. */
    public void loadParameters(Map<String, double[]> values) {
        values.forEach((name, v) -> model.parameters().values(name).setAll(v));
    }

    /** Shape of every parameter by PyTorch name ({@code fc1.weight} is {@code [out, in]}). */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        model.parameters().slots().forEach((name, slot) -> out.put(name, slot.shape()));
        return out;
    }

    /** Step at which the current learning-rate cycle began (see {@link #restartSchedule()}); checkpointed. */
    public long scheduleOrigin() {
        return scheduleOrigin;
    }

    /** Puts back a checkpointed {@link #scheduleOrigin()}. */
    public void restoreScheduleOrigin(long origin) {
        if (origin < 0 || origin > step) {
            throw new IllegalArgumentException("schedule origin " + origin + " is outside [0, " + step + "]");
        }
        scheduleOrigin = origin;
    }

    /** Current running statistics by name ({@code bn1.running_mean}, ...), copies. */
    public Map<String, double[]> bufferValues() {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.buffers().forEach((name, b) -> out.put(name, b.toDoubleArray()));
        return out;
    }

    /** A deep copy of everything a checkpoint needs to resume training. */
    public TrainingState trainingState() {
        return new TrainingState(step, skipped, parameterValues(), bufferValues(), optimizer.state(), featureScaling());
    }

    /** Resumes from a checkpoint taken with {@link #trainingState()} of a learner with the same configuration. */
    public void restoreTrainingState(TrainingState state) {
        Map<String, double[]> params = state.parameters();
        if (!params.keySet().equals(model.parameters().slots().keySet())
                || !state.buffers().keySet().equals(model.buffers().keySet())) {
            throw new IllegalArgumentException("checkpoint parameters " + params.keySet()
                    + " do not match the model's " + model.parameters().slots().keySet());
        }
        loadParameters(params);
        state.buffers().forEach((name, v) -> model.buffers().get(name).setAll(v));
        optimizer.restore(state.optimizer());
        if (standardizer != null) {
            standardizer.restore(state.standardization());
        }
        step = state.step();
        skipped = state.skippedUpdates();
    }

    /** The AdamW optimizer (its state is what a checkpoint saves). */
    public AdamW optimizer() {
        return optimizer;
    }

}
