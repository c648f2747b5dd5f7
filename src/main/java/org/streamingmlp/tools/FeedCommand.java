package org.streamingmlp.tools;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** {@code feed}: streams a data file into the topics ({@link FeedOptions#USAGE}). */
public final class FeedCommand {

    private FeedCommand() {
    }

    /** Runs until the passes are done or the JVM is asked to stop (Ctrl-C); returns records sent by topic. */
    public static Map<String, Long> run(List<String> args) throws Exception {
        FeedOptions options = FeedOptions.parse(args);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> stopping.set(true), "feed-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return feed(options, stopping::get, true);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is shutting down: nothing to remove
            }
        }
    }

    /**
     * Feeds as {@code feed ARGS} would until done or {@code stop} says so, printing no progress line: for a feeder
     * inside another program (dev mode's demo).
     */
    public static Map<String, Long> run(List<String> args, BooleanSupplier stop) throws Exception {
        return feed(FeedOptions.parse(args), stop, false);
    }

    /** Feeds one file; {@code progressLine}: print the progress line on standard error. */
    static Map<String, Long> feed(FeedOptions options, BooleanSupplier stop, boolean progressLine) throws Exception {
        Dataset data = Dataset.open(options.file(), options.format(), options);
        long perPass = options.limit() > 0 ? Math.min(options.limit(), data.size()) : data.size();
        FeedProgress progress = progressLine
                ? new FeedProgress(System.err, System.console() != null, perPass, options.repeat())
                : FeedProgress.silent();
        try (Producer<byte[], byte[]> producer = producer(options.bootstrap(), "streaming-mlp-feed")) {
            return new Feeder(data, options, producer, progress).run(stop);
        }
    }

    static Producer<byte[], byte[]> producer(String bootstrap, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A 784-pixel JSON record is ~5 kB: batches of up to 1 MB keep a fast feed to a few requests a second.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
