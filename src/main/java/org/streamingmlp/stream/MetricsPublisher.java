package org.streamingmlp.stream;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingReport;

/**
 * Publishes training reports and phase events on the metrics topic as JSON. Reports are best effort: one that
 * cannot be sent is logged and the next follows. Reports also carry the dead-letter counts by reason.
 */
@ApplicationScoped
public class MetricsPublisher {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class);
    /** SmallRye names each channel's consumer {@code kafka-consumer-<channel>}. */
    private static final String CONSUMER_PREFIX = "kafka-consumer-";

    @Inject
    @Channel(Channels.METRICS)
    MutinyEmitter<byte[]> emitter;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    public void publish(TrainingReport report) {
        send(MetricsJson.of(report, deadLettersByReason(), consumerLag()));
    }

    public void publishEvent(TrainingEvent event) {
        send(MetricsJson.of(event));
    }

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

    private void send(Map<String, Object> json) {
        try {
            emitter.send(mapper.writeValueAsBytes(json))
                    .subscribe().with(ok -> { }, failure -> LOG.warnf("Metrics not sent: %s", failure));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("Metrics not sent: %s", e);
        }
    }
}
