package org.streamingmlp.learner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.streamingmlp.optim.AdamW;

/**
 * Everything needed to resume training exactly where it stopped (dropout masks are a function of the step, so there
 * is no random state to save): parameters
 * and running statistics by PyTorch name (float64 copies), the optimizer state, the step and skip counters, and the
 * feature standardisation's running statistics.
 * The schedule needs no state: it is a pure function of {@link #step()}.
 */
public record TrainingState(long step, long skippedUpdates, Map<String, double[]> parameters,
                            Map<String, double[]> buffers, AdamW.State optimizer, FeatureScaling standardization) {

    /** A model without feature standardisation. */
    public TrainingState(long step, long skippedUpdates, Map<String, double[]> parameters,
                         Map<String, double[]> buffers, AdamW.State optimizer) {
        this(step, skippedUpdates, parameters, buffers, optimizer, FeatureScaling.IDENTITY);
    }

    public TrainingState {
        if (step < 0 || skippedUpdates < 0) {
            throw new IllegalArgumentException("step and skippedUpdates must be >= 0");
        }
        parameters = deepCopy(parameters);
        buffers = deepCopy(buffers);
        if (optimizer == null || standardization == null) {
            throw new IllegalArgumentException("optimizer state and standardization must not be null");
        }
    }

    @Override
    public Map<String, double[]> parameters() {
        return deepCopy(parameters);
    }

    @Override
    public Map<String, double[]> buffers() {
        return deepCopy(buffers);
    }

    private static Map<String, double[]> deepCopy(Map<String, double[]> source) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }
}
