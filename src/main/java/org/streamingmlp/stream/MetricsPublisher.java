package org.streamingmlp.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.MutinyEmitter;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.streamingmlp.trainer.TrainingReport;

/**
 * Publishes training reports on the metrics topic as JSON (the record's fields; NaN, meaning "no value yet",
 * is written as null). Best effort: a report that cannot be sent is logged, and the next one follows.
 */
@ApplicationScoped
public class MetricsPublisher {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class);

    @Inject
    @Channel(Channels.METRICS)
    MutinyEmitter<byte[]> emitter;

    @Inject
    ObjectMapper mapper;

    public void publish(TrainingReport report) {
        try {
            byte[] json = mapper.writeValueAsBytes(MetricsJson.of(report));
            emitter.send(json).subscribe().with(ok -> { }, failure -> LOG.warnf("Metrics report not sent: %s", failure));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("Metrics report not sent: %s", e);
        }
    }
}
