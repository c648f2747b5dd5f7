package org.streamingmlp.kafka;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.streamingmlp.trainer.TrainingReport;

/**
 * A record of the metrics topic ({@code "type": "training"}), also the {@code training} part of {@code GET /model}:
 * the trainer's report plus what the Kafka edges count.
 *
 * @param report      the trainer's report, its fields at the top level
 * @param deadLetters dead letters since startup by reason code
 * @param consumerLag largest lag of each input channel's consumer, in records
 */
public record MetricsReport(@JsonUnwrapped TrainingReport report, Map<String, Long> deadLetters,
                            Map<String, Double> consumerLag) {
}
