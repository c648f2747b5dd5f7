package org.streamingmlp.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.streamingmlp.learner.ValidationMonitor;

/**
 * The {@code state.json} of a checkpoint directory, bound by Jackson in both directions: everything that is not a
 * tensor, plus the SHA-256 of the two tensor files. {@code format} names the layout version.
 *
 * @param buffers       which tensors of {@code model.safetensors} are running statistics rather than parameters
 * @param scaling       the feature standardisation's running statistics (count 0: none)
 * @param offsets       where the input streams resume
 * @param monitor       early stopping and drift detection (infinities written as strings); {@code trainer} in
 *                      format 1
 * @param configuration the settings the model was trained under, by key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StateFile(String format, String createdAt, long modelVersion, long step, long skippedUpdates,
                 long scheduleOrigin, long examplesSeen, List<String> buffers, Scaling scaling, Offsets offsets,
                 @JsonAlias("trainer") ValidationMonitor.State monitor, SortedMap<String, String> configuration,
                 Map<String, String> sha256) {

    static final String FORMAT = "streaming-mlp-checkpoint/2";

    /** Welford's running statistics of the features. */
    record Scaling(long count, double[] mean, double[] m2) {
    }

    /** Next offsets by {@code topic-partition}. */
    record Offsets(SortedMap<String, Long> training, SortedMap<String, Long> validation) {
    }
}
