package org.streamingmlp.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.serving.ModelRelease;
import org.streamingmlp.serving.ReleaseAssembler;
import org.streamingmlp.serving.SnapshotFormat;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * A predictor's side of model distribution: reads the model topic from its beginning (a group of its own, offsets
 * never committed), puts each released version together ({@link ReleaseAssembler}) and hot-swaps it into the
 * {@link SnapshotRegistry}: requests in flight finish on the snapshot they started with, the next ones take the new
 * one. A release trained under settings this predictor cannot serve (another architecture, loss or
 * standardisation) is refused and counted; the predictor keeps the version it has. The request consumer starts
 * paused and is resumed (and the predictor ready) once it caught up with the topic as it was at startup, so no
 * request meets a predictor without a model, and a restarted one answers with the newest.
 */
@ApplicationScoped
public class ModelTopicReader {

    private static final Logger LOG = Logger.getLogger(ModelTopicReader.class);

    @Inject
    ServiceConfig config;

    @Inject
    TrainingConfig training;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    ChannelRegistry channels;

    @Inject
    KafkaClientService clients;

    private ReleaseAssembler assembler;
    private String lineage;
    /** End of the model topic when this predictor first read it: it has caught up once it read that far. */
    private Map<TopicPartition, Long> endAtStart;
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();
    private volatile boolean caughtUp;

    /**
     * True once this predictor holds the newest snapshot that was on the model topic when it started (it read up to
     * the end the topic had then): a restarted predictor is ready with the newest model, not the first one it finds.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Incoming(Channels.MODEL_UPDATES)
    @Blocking
    public void read(ConsumerRecords<byte[], byte[]> records) {
        if (assembler == null) {
            assembler = new ReleaseAssembler(config.model().name());
            endAtStart = clients.<byte[], byte[]>getConsumer(Channels.MODEL_UPDATES)
                    .runOnPollingThread((Function<Consumer<byte[], byte[]>, Map<TopicPartition, Long>>)
                            c -> c.endOffsets(c.assignment()))
                    .await().atMost(Duration.ofSeconds(60));
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            readUpTo.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            if (record.key() == null || record.value() == null) {
                continue;   // tombstones of superseded chunks
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            String[] parts = key.split("/");
            if (parts.length == 3) {
                chunk(parts, record.value());
            } else if (parts.length == 1) {
                release(record.value());
            }
        }
        if (!caughtUp && snapshots.current().isPresent() && endAtStart.entrySet().stream()
                .allMatch(end -> readUpTo.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
            ModelSnapshot serving = snapshots.current().get();
            LOG.infof("Caught up with %s: serving model %s version %d (step %d); answering requests",
                    config.topics().model(), config.model().name(), serving.version(), serving.step());
            caughtUp = true;
            resumeRequests();
        }
    }

    private void chunk(String[] key, byte[] value) {
        try {
            assembler.chunk(key[0], Long.parseLong(key[1]), Integer.parseInt(key[2]), value);
        } catch (NumberFormatException e) {
            LOG.warnf("Ignored a record with key %s on %s: not a model chunk", String.join("/", key),
                    config.topics().model());
        }
    }

    private void release(byte[] value) {
        ModelRelease release;
        try {
            release = mapper.readValue(value, ModelRelease.class);
        } catch (IOException e) {
            LOG.warnf("Ignored an unreadable model release on %s: %s", config.topics().model(), e.getMessage());
            return;
        }
        assembler.release(release).ifPresent(this::swapTo);
    }

    private void swapTo(ReleaseAssembler.Complete complete) {
        ModelRelease release = complete.release();
        try {
            List<String> accepted = ModelConfiguration.changes(release.configuration(), ModelConfiguration.of(config));
            ModelSnapshot snapshot = SnapshotFormat.decode(complete.bytes(), release.version(), release.step(), training);
            boolean first = snapshots.current().isEmpty();
            if (lineage != null && !lineage.equals(release.lineage())) {
                LOG.infof("Trainer %s took over model %s (was %s): serving its version %d", release.lineage(),
                        release.model(), lineage, release.version());
                snapshots.replace(snapshot, release.publishedAt());
            } else {
                snapshots.publish(snapshot, release.publishedAt());
            }
            lineage = release.lineage();
            registry.counter("mlp.model.releases", "outcome", "applied").increment();
            if (first && !accepted.isEmpty()) {
                LOG.infof("Model %s was trained under other settings that do not change its answers: %s",
                        release.model(), accepted);
            }
            LOG.debugf("Swapped to model version %d (step %d)", release.version(), release.step());
        } catch (ModelConfiguration.IncompatibleCheckpointException | IllegalArgumentException | IOException e) {
            registry.counter("mlp.model.releases", "outcome", "refused").increment();
            LOG.errorf("Refused model %s version %d from %s: %s; keeping version %s", release.model(),
                    release.version(), config.topics().model(), e.getMessage(),
                    snapshots.current().map(s -> Long.toString(s.version())).orElse("none"));
        }
    }

    private void resumeRequests() {
        PausableChannel requests = channels.getPausable(Channels.PREDICTION_REQUESTS);
        if (requests != null && requests.isPaused()) {
            requests.resume();
        }
    }
}
