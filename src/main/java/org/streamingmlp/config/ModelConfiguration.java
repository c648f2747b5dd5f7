package org.streamingmlp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settings a model is trained under, by configuration key, as a checkpoint records them; and the rule that says
 * which changes a restart may make to a checkpointed model.
 * <p>
 * <b>Refused</b> (startup fails naming the key and both values): whatever changes what the parameters mean or
 * their shapes: the architecture ({@code mlp.model.*} except dropout), the loss, feature standardisation, the
 * feature schema ({@code mlp.features.*}: field order, categories and their order, embedding widths), class names
 * that were set and now differ (a reordered list would swap classes), and what early stopping watches ({@code
 * monitor}, {@code mode}: the restored best value would be compared with another figure).
 * <p>
 * <b>Accepted and logged</b>: how the model goes on learning: optimizer, schedule, clipping, seed, batch size,
 * dropout, patience and drift settings, and class names set for the first time or removed.
 */
public final class ModelConfiguration {

    static final String UNSET = "<unset>";
    private static final String CLASS_NAMES = "mlp.model.class-names";
    private static final Set<String> REFUSED = Set.of("mlp.training.loss", "mlp.training.standardize-features",
            "mlp.early-stopping.monitor", "mlp.early-stopping.mode");

    private ModelConfiguration() {
    }

    /** The model's settings, by key; values as written in configuration ({@code 64,64}, {@code cross-entropy}). */
    public static SortedMap<String, String> of(ServiceConfig config) {
        SortedMap<String, String> keys = new TreeMap<>();
        ServiceConfig.Model m = config.model();
        keys.put("mlp.model.input-size", Integer.toString(m.inputSize()));
        keys.put("mlp.model.hidden-sizes", join(m.hiddenSizes()));
        keys.put("mlp.model.output-size", Integer.toString(m.outputSize()));
        keys.put("mlp.model.activation", name(m.activation()));
        keys.put("mlp.model.leaky-slope", Double.toString(m.leakySlope()));
        keys.put("mlp.model.dropout", Double.toString(m.dropout()));
        keys.put("mlp.model.normalization", name(m.normalization()));
        m.classNames().ifPresent(names -> keys.put(CLASS_NAMES, join(names)));
        config.features().numeric().ifPresent(names -> keys.put("mlp.features.numeric", join(names)));
        config.features().categorical().forEach((field, c) -> {
            keys.put("mlp.features.categorical." + field + ".values", join(c.values()));
            keys.put("mlp.features.categorical." + field + ".dimension", Integer.toString(c.dimension()));
        });
        ServiceConfig.Training t = config.training();
        keys.put("mlp.training.loss", name(t.loss()));
        keys.put("mlp.training.standardize-features", Boolean.toString(t.standardizeFeatures()));
        keys.put("mlp.training.batch-size", Integer.toString(t.batchSize()));
        keys.put("mlp.training.max-grad-norm", Double.toString(t.maxGradNorm()));
        keys.put("mlp.training.seed", Long.toString(t.seed()));
        ServiceConfig.Optimizer o = config.optimizer();
        keys.put("mlp.optimizer.learning-rate", Double.toString(o.learningRate()));
        keys.put("mlp.optimizer.beta1", Double.toString(o.beta1()));
        keys.put("mlp.optimizer.beta2", Double.toString(o.beta2()));
        keys.put("mlp.optimizer.eps", Double.toString(o.eps()));
        keys.put("mlp.optimizer.weight-decay", Double.toString(o.weightDecay()));
        keys.put("mlp.optimizer.decay-biases-and-norms", Boolean.toString(o.decayBiasesAndNorms()));
        ServiceConfig.Schedule s = config.schedule();
        keys.put("mlp.schedule.kind", name(s.kind()));
        keys.put("mlp.schedule.warmup-steps", Integer.toString(s.warmupSteps()));
        keys.put("mlp.schedule.total-steps", Long.toString(s.totalSteps()));
        keys.put("mlp.schedule.min-learning-rate", Double.toString(s.minLearningRate()));
        keys.put("mlp.schedule.warm-restarts", Boolean.toString(s.warmRestarts()));
        ServiceConfig.EarlyStopping e = config.earlyStopping();
        keys.put("mlp.early-stopping.enabled", Boolean.toString(e.enabled()));
        keys.put("mlp.early-stopping.patience", Integer.toString(e.patience()));
        keys.put("mlp.early-stopping.min-delta", Double.toString(e.minDelta()));
        keys.put("mlp.early-stopping.monitor", name(e.monitor()));
        keys.put("mlp.early-stopping.mode", name(e.mode()));
        ServiceConfig.Drift d = config.drift();
        keys.put("mlp.drift.delta", Double.toString(d.delta()));
        keys.put("mlp.drift.threshold", Double.toString(d.threshold()));
        keys.put("mlp.drift.min-evaluations", Integer.toString(d.minEvaluations()));
        return keys;
    }

    /**
     * Compares the settings a checkpoint was written under with the current ones.
     *
     * @return the accepted changes, one line each ({@code key: old -> new}), for the log
     * @throws IncompatibleCheckpointException naming the first refused key and both values
     */
    public static List<String> changes(SortedMap<String, String> saved, SortedMap<String, String> current) {
        SortedMap<String, String> keys = new TreeMap<>(saved);
        keys.putAll(current);
        List<String> accepted = new ArrayList<>();
        for (String key : keys.keySet()) {
            String before = saved.getOrDefault(key, UNSET);
            String now = current.getOrDefault(key, UNSET);
            if (before.equals(now)) {
                continue;
            }
            if (refused(key, before, now)) {
                throw new IncompatibleCheckpointException(key, before, now);
            }
            accepted.add(key + ": " + before + " -> " + now);
        }
        return accepted;
    }

    private static boolean refused(String key, String before, String now) {
        if (key.equals(CLASS_NAMES)) {
            return !before.equals(UNSET) && !now.equals(UNSET);   // naming classes anew or dropping names is safe
        }
        return key.startsWith("mlp.model.") && !key.equals("mlp.model.dropout")
                || key.startsWith("mlp.features.") || REFUSED.contains(key);
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A checkpoint whose model means something else under the current configuration. */
    public static final class IncompatibleCheckpointException extends IllegalStateException {
        public IncompatibleCheckpointException(String key, String saved, String current) {
            super("the checkpoint was written with " + key + "=" + saved + ", but the configuration now says "
                    + key + "=" + current + ": its parameters would mean something else. Restore the setting, or "
                    + "start a new model with another mlp.checkpoint.dir");
        }
    }
}
