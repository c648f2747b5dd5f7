package org.streamingmlp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamingmlp.serving.Answer;

/**
 * The two-hop floor under the Kafka prediction figures: a relay in a JVM of its own that does what the service's
 * prediction path does around the model, and nothing else. A plain {@link KafkaConsumer} reads the request topic; for
 * every request a plain {@link KafkaProducer} writes a fixed answer of the service's size (an {@link Answer} of
 * Fashion-MNIST's shape, serialised by Jackson once) with the request's key to the answer topic; a batch's offsets
 * become committable only when the broker has all of its answers (at least once, as the service). No decoding, no
 * model, no SmallRye: what the broker, the clients and the two cores cost on the service's path of harness -> broker
 * -> relay -> broker -> harness.
 *
 * <p>Client settings are the service's for this path ({@code application.properties}, channel
 * {@code prediction-requests}, and {@code kafka.AnswerProducer}): the consumer has Kafka's defaults apart from what
 * SmallRye's connector sets (auto commit off, {@code reconnect.backoff.max.ms=10000}), a group of its own, earliest;
 * it polls with SmallRye's 1 s poll timeout and commits the highest offset whose answers are stored every 5 s
 * ({@code auto.commit.interval.ms}, SmallRye's {@code throttled} strategy). The producer is idempotent with
 * {@code acks=all} and {@code linger.ms=0}, Kafka's default batch size. As in the service, the next batch is polled
 * and answered while the previous one's acknowledgements are in flight. Unlike the service it answers on the
 * polling thread (SmallRye hands a batch to a worker thread).
 *
 * <p>{@link #main} prints {@code READY} once its consumer owns its partitions and relays until its standard input
 * closes (so it also ends when the harness dies); {@link #start} launches it from the harness with the harness's
 * classpath, as {@link BenchBroker} and {@link HttpFloorServer} are.
 */
final class KafkaRelayFloor implements AutoCloseable {

    private static final String READY = "READY";
    /** SmallRye's {@code poll-timeout} default. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    /** SmallRye's {@code throttled} commit strategy commits every {@code auto.commit.interval.ms}, 5 s by default. */
    private static final long COMMIT_INTERVAL_NANOS = 5_000_000_000L;

    private final Process process;

    private KafkaRelayFloor(Process process) {
        this.process = process;
    }

    /**
     * The answer every request gets: what the service writes for a Fashion-MNIST request of the benchmark (id
     * {@code r-<index>}, a class, ten probabilities as a trained model's softmax gives them, a model version), so
     * its size is the service's ({@code meanAnswerBytes} of both series in results.json shows the two).
     */
    static byte[] answer() throws JsonProcessingException {
        Random random = new Random(9);
        float[] logits = new float[10];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 4);
            sum += Math.exp(logits[i]);
        }
        float[] probabilities = new float[logits.length];
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (Math.exp(logits[i]) / sum);
            best = probabilities[i] > probabilities[best] ? i : best;
        }
        return new ObjectMapper().writeValueAsBytes(new Answer("r-1234", best, null, probabilities, 12_345));
    }

    /** Arguments: bootstrap servers, request topic, answer topic, consumer group. */
    public static void main(String[] args) throws Exception {
        ServiceBenchmark.logWarningsOnly();
        String bootstrap = args[0];
        String requestTopic = args[1];
        String answerTopic = args[2];
        byte[] answer = answer();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "relay-floor-answers");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            consumer.subscribe(List.of(requestTopic));
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // relay until the harness closes our standard input (or dies)
                    }
                } catch (IOException e) {
                    // the same
                }
                consumer.wakeup();
            }, "relay-stdin");
            stdin.setDaemon(true);
            stdin.start();
            relay(consumer, producer, answerTopic, answer);
        }
    }

    /** A polled batch whose answers are on their way: committable once {@code stored} completes. */
    private record Batch(Map<TopicPartition, OffsetAndMetadata> next, CompletableFuture<Void> stored) {
    }

    private static void relay(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                              String answerTopic, byte[] answer) {
        ArrayDeque<Batch> inFlight = new ArrayDeque<>();
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        long lastCommit = System.nanoTime();
        boolean ready = false;
        try {
            while (true) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!ready && !consumer.assignment().isEmpty()) {
                    System.out.println(READY);
                    System.out.flush();
                    ready = true;
                }
                if (!records.isEmpty()) {
                    inFlight.add(send(records, producer, answerTopic, answer));
                }
                while (!inFlight.isEmpty() && inFlight.peek().stored().isDone()) {
                    Batch done = inFlight.poll();
                    done.stored().join();   // a failed send ends the relay: the floor must not lose answers
                    committable.putAll(done.next());
                }
                if (!committable.isEmpty() && System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    consumer.commitAsync(Map.copyOf(committable), null);
                    committable.clear();
                    lastCommit = System.nanoTime();
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // standard input closed
        }
    }

    /** Sends an answer per request with the request's key; the batch is stored when the broker has them all. */
    private static Batch send(ConsumerRecords<byte[], byte[]> records, KafkaProducer<byte[], byte[]> producer,
                              String answerTopic, byte[] answer) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            producer.send(new ProducerRecord<>(answerTopic, r.key(), answer), (metadata, error) -> {
                if (error != null) {
                    stored.completeExceptionally(error);
                } else if (pending.decrementAndGet() == 0) {
                    stored.complete(null);
                }
            });
        }
        return new Batch(next, stored);
    }

    /** Starts the relay JVM and waits until its consumer owns the request topic's partitions. */
    static KafkaRelayFloor start(String bootstrap, String requestTopic, String answerTopic, String group, Path log,
                                 Duration timeout) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseParallelGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), KafkaRelayFloor.class.getName(), bootstrap,
                requestTopic, answerTopic, group).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, log, ready), "bench-relay-output");
        copier.setDaemon(true);
        copier.start();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new KafkaRelayFloor(process);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the relay floor was not ready within " + timeout + "; see " + log, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * Fails if the relay JVM has exited (a failed send ends it): its steps would otherwise read as a slow relay.
     */
    void requireRunning(Path log) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the relay exited with " + process.exitValue() + " during the series; see "
                    + log);
        }
    }

    /** Copies the relay's output to {@code log} for as long as it runs; completes {@code ready} at its READY. */
    private static void copyOutput(Process process, Path log, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                if (!ready.isDone() && line.equals(READY)) {
                    ready.complete(null);
                    out.flush();
                }
            }
            ready.completeExceptionally(new IllegalStateException("the relay exited with " + process.waitFor()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready.completeExceptionally(e);
        }
    }

    /** Closes its standard input (it stops polling and closes its clients), forcibly after 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
