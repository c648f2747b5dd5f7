package org.streamingmlp.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.MutinyEmitter;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingReport;

/**
 * Publishes the trainer's reports ({@link MetricsReport}) and phase events ({@link TrainingEvent}) on the metrics
 * topic as JSON. Best effort: one that cannot be sent is logged and the next follows.
 */
@ApplicationScoped
public class MetricsPublisher implements TrainingListener {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class);

    @Inject
    @Channel(Channels.METRICS)
    MutinyEmitter<byte[]> emitter;

    @Inject
    ObjectMapper mapper;

    @Inject
    StreamFigures figures;

    @Override
    public void report(TrainingReport report) {
        send(figures.with(report));
    }

    @Override
    public void event(TrainingEvent event) {
        send(event);
    }

    private void send(Object json) {
        try {
            emitter.send(mapper.writeValueAsBytes(json))
                    .subscribe().with(ok -> { }, failure -> LOG.warnf("Metrics not sent: %s", failure));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("Metrics not sent: %s", e);
        }
    }
}
