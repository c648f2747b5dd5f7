package org.streamingmlp.kafka;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.streamingmlp.trainer.TrainingReport;

/** What the Kafka edges report beside the trainer's figures: dead letters by reason, and consumer lag. */
@ApplicationScoped
public class StreamFigures {

    /** SmallRye names each channel's consumer {@code kafka-consumer-<channel>}. */
    private static final String CONSUMER_PREFIX = "kafka-consumer-";

    @Inject
    MeterRegistry registry;

    /** Dead letters since startup, by reason code, over all source topics. */
    public Map<String, Long> deadLettersByReason() {
        Map<String, Long> counts = new TreeMap<>();
        for (Counter counter : registry.find(DeadLetters.COUNTER).counters()) {
            counts.merge(counter.getId().getTag("reason"), (long) counter.count(), Long::sum);
        }
        return counts;
    }

    /**
     * The largest lag, in records, of each input channel's consumer over its partitions (Kafka's own
     * {@code records-lag-max} client metric, bound to Micrometer by Quarkus); absent before the first fetch.
     */
    public Map<String, Double> consumerLag() {
        Map<String, Double> lag = new TreeMap<>();
        for (Gauge gauge : registry.find("kafka.consumer.fetch.manager.records.lag.max").gauges()) {
            String client = gauge.getId().getTag("client.id");
            double value = gauge.value();
            if (client != null && client.startsWith(CONSUMER_PREFIX) && Double.isFinite(value)) {
                lag.put(client.substring(CONSUMER_PREFIX.length()), value);
            }
        }
        return lag;
    }

    /** The trainer's report with these figures: the metrics topic's {@code "type": "training"} record. */
    public MetricsReport with(TrainingReport report) {
        return new MetricsReport(report, deadLettersByReason(), consumerLag());
    }
}
