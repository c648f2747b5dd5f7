package org.streamingmlp.kafka;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.streamingmlp.config.InstanceName;
import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.ModelRelease;
import org.streamingmlp.serving.ReleaseAssembler;
import org.streamingmlp.serving.SnapshotFormat;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * The trainer's side of model distribution: every {@code mlp.distribution.publish-interval}, if this process trains
 * (it holds the training partitions: a standby trainer publishes nothing) and its newest snapshot is newer than the
 * last one published, writes it to the compacted model topic as chunks of at most {@code mlp.distribution.chunk-bytes}
 * (keys {@code <model>/<version>/<index>}), then its {@link ModelRelease} (key {@code <model>}), then tombstones for
 * the previous version's chunks. A reader therefore always finds a complete version: the previous one's chunks are
 * deleted only after the next one is released, and compaction keeps the newest release and its chunks. Everything goes
 * to partition 0, so a reader sees chunks before their release. Runs on its own thread, reading immutable snapshots:
 * the trainer thread never waits for Kafka.
 */
@ApplicationScoped
public class ModelTopicPublisher {

    private static final Logger LOG = Logger.getLogger(ModelTopicPublisher.class);
    private static final int PARTITION = 0;

    @Inject
    ServiceConfig config;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    PartitionAssignments assignments;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private ScheduledExecutorService schedule;
    private KafkaProducer<byte[], byte[]> producer;
    private long lastVersion = -1;
    private int lastChunks;
    private Timer publishTime;
    /** This trainer run: {@code <instance>@<JVM start>}. */
    private String lineage;

    void start(@Observes StartupEvent event) {
        if (!config.role().trains()) {
            return;
        }
        lineage = InstanceName.of(config) + "@"
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        publishTime = Timer.builder("mlp.model.publish").description("writing one snapshot to the model topic")
                .register(registry);
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mlp-model-publisher");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.distribution().publishInterval().toMillis();
        schedule.scheduleWithFixedDelay(this::publishNewest, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdown();
            try {
                schedule.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void publishNewest() {
        try {
            if (assignments.of(Channels.TRAINING).isEmpty()) {
                return;
            }
            ModelSnapshot snapshot = snapshots.current().orElse(null);
            if (snapshot == null || snapshot.version() <= lastVersion) {
                return;
            }
            publishTime.record(() -> publish(snapshot));
        } catch (RuntimeException e) {
            // The next round tries again with the then newest snapshot; predictors keep the version they hold.
            LOG.warnf("Could not publish the model to %s: %s", config.topics().model(), e.toString());
        }
    }

    private void publish(ModelSnapshot snapshot) {
        String model = config.model().name();
        String topic = config.topics().model();
        byte[] bytes = SnapshotFormat.encode(snapshot);
        int chunkBytes = config.distribution().chunkBytes();
        int chunks = Math.max(1, (bytes.length + chunkBytes - 1) / chunkBytes);
        List<Future<RecordMetadata>> sends = new ArrayList<>(chunks + 1);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkBytes;
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes));
            sends.add(send(topic, ModelRelease.chunkKey(model, snapshot.version(), i), chunk));
        }
        awaitAll(sends);
        SortedMap<String, String> configuration = ModelConfiguration.of(config);
        ModelRelease release = new ModelRelease(model, lineage, snapshot.version(), snapshot.step(), chunks,
                bytes.length, ReleaseAssembler.sha256(bytes), System.currentTimeMillis(), configuration,
                new TreeMap<>(Map.of("instance", InstanceName.of(config))));
        try {
            awaitAll(List.of(send(topic, model, mapper.writeValueAsBytes(release))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a model release is always JSON", e);
        }
        List<Future<RecordMetadata>> tombstones = new ArrayList<>(lastChunks);
        for (int i = 0; lastVersion >= 0 && i < lastChunks; i++) {
            tombstones.add(send(topic, ModelRelease.chunkKey(model, lastVersion, i), null));
        }
        awaitAll(tombstones);
        if (lastVersion < 0) {
            LOG.infof("Publishing the model to %s every %s: version %d, %d bytes in %d chunk(s)", topic,
                    config.distribution().publishInterval(), snapshot.version(), bytes.length, chunks);
        }
        lastVersion = snapshot.version();
        lastChunks = chunks;
    }

    /**
     * The largest record on the model topic, in bytes: a chunk plus its key and headers, at least Kafka's default
     * 1 MiB. The producer's request size and the topic's message size are both set to it.
     */
    static int recordLimit(ServiceConfig config) {
        return Math.max(1 << 20, config.distribution().chunkBytes() + 65536);
    }

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer().send(new ProducerRecord<>(topic, PARTITION, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the model", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the model topic did not take the snapshot", e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = ByteProducers.idempotent(kafka, "streaming-mlp-model-publisher",
                    Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, recordLimit(config)));
        }
        return producer;
    }
}
