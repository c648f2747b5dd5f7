package org.streamingmlp.checkpoint;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.streamingmlp.learner.TrainingState;

/**
 * What the service saves to continue learning after a restart: the learner's full state (parameters, running
 * statistics, AdamW moments and step), the position in the learning-rate cycle, the model version, the feature
 * scaling, and the examples seen.
 *
 * @param modelVersion        version of the snapshot that was current when the checkpoint was taken
 * @param scheduleOrigin      step at which the current learning-rate cycle began
 * @param examplesSeen        training examples consumed before the checkpoint
 * @param training            the learner's state
 * @param shapes              shape of every parameter (PyTorch names; {@code [out, in]} for Linear weights)
 * @param scalingCount        examples behind the feature scaling (0: no standardisation)
 * @param scalingMean         running mean of each feature
 * @param scalingM2           running sum of squared deviations of each feature
 * @param trainingOffsets     per training partition ({@code topic-partition}), the next offset to consume: every
 *                            record before it has been through the trainer, none after it
 * @param validationOffsets   per validation partition, where to resume so the validation window refills
 * @param trainer             the trainer's own state machines (early stopping, drift detection) as JSON, kept
 *                            opaque here so this package needs nothing from the trainer; may be null
 */
public record Checkpoint(long modelVersion, long scheduleOrigin, long examplesSeen, TrainingState training,
                         Map<String, long[]> shapes, long scalingCount, double[] scalingMean, double[] scalingM2,
                         Map<String, Long> trainingOffsets, Map<String, Long> validationOffsets,
                         JsonNode trainer) {

    public Checkpoint {
        trainingOffsets = Map.copyOf(trainingOffsets);
        validationOffsets = Map.copyOf(validationOffsets);
    }
}
