package org.streamingmlp.checkpoint;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.streamingmlp.learner.TrainingState;
import org.streamingmlp.learner.ValidationMonitor;

/**
 * Everything the service saves to continue learning after a restart, as one record: the model (parameters, running
 * statistics, feature standardisation), how it learns (AdamW moments, step, schedule position, early-stopping and
 * drift state), where it is in the input streams, and the configuration it was built with, so that a restart
 * under an incompatible configuration can be refused instead of resumed with rows that now mean other things.
 *
 * @param modelVersion  version of the snapshot that was current when the checkpoint was taken
 * @param examplesSeen  training examples consumed before the checkpoint
 * @param learning      the learner's and the validation monitor's state
 * @param positions     where the input streams resume
 * @param configuration the settings the model was trained under, by configuration key ({@code mlp.model.input-size}
 *                      = {@code 4}); empty in checkpoints written before configurations were saved
 */
public record Checkpoint(long modelVersion, long examplesSeen, Learning learning, Positions positions,
                         SortedMap<String, String> configuration) {

    public Checkpoint {
        if (learning == null || positions == null) {
            throw new IllegalArgumentException("a checkpoint needs the learner's state and the stream positions");
        }
        configuration = new TreeMap<>(configuration);
    }

    /**
     * The learning state.
     *
     * @param training       the learner's state (parameters, buffers, standardisation, AdamW, counters)
     * @param scheduleOrigin step at which the current learning-rate cycle began
     * @param shapes         shape of every parameter (PyTorch names; {@code [out, in]} for Linear weights)
     * @param monitor        early stopping and drift detection; null when not saved
     */
    public record Learning(TrainingState training, long scheduleOrigin, Map<String, long[]> shapes,
                           ValidationMonitor.State monitor) {
    }

    /**
     * Where the input streams resume, by {@code topic-partition}.
     *
     * @param training   the next offset to consume per training partition: every record before it has been through
     *                   the trainer, none after it
     * @param validation where each validation partition resumes so that the validation window refills as it was
     */
    public record Positions(Map<String, Long> training, Map<String, Long> validation) {
        public Positions {
            training = Map.copyOf(training);
            validation = Map.copyOf(validation);
        }

        /** Both maps in one: where every input partition resumes. */
        public Map<String, Long> all() {
            Map<String, Long> all = new TreeMap<>(training);
            all.putAll(validation);
            return all;
        }
    }

    /** The learner's state. */
    public TrainingState training() {
        return learning.training();
    }
}
