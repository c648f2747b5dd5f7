package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.streamingmlp.broker.EmbeddedKafkaBroker;
import org.streamingmlp.broker.EmbeddedKafkaCluster;

/**
 * No prediction request is lost when the service process or a broker dies. The service runs as its own JVM
 * (SIGKILL is a real crash); the brokers are real Kafka brokers in the test JVM.
 * <p>
 * Where in the request stream the service or the broker dies is drawn from a seed that each test prints;
 * {@code -Dkill.seed=N} replays it (see {@link KillSeed}).
 */
class PredictionFailuresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "prediction-failures-it");

    private static Map<String, String> config(String bootstrap, String name) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrap);
        for (String topic : List.of("train", "validation", "predict", "predictions", "metrics", "dlq")) {
            config.put("mlp.topics." + topic, name + "." + topic);
        }
        config.put("mlp.groups.trainer", name + "-trainer");
        config.put("mlp.groups.predictor", name + "-predictor");
        ServiceProcess.rejoinQuickly(config);
        return config;
    }

    /** Requests {@code q-0} ... sent by {@link #sendRequests}, counted as they go, with a latch at one count. */
    private record Sender(Thread thread, AtomicInteger sent, CountDownLatch reachedSignal) {

        /** Waits until {@code signalAt} requests have been sent. */
        void awaitSignal() throws InterruptedException {
            assertTrue(reachedSignal.await(60, TimeUnit.SECONDS), "the sender got stuck at " + sent.get());
        }
    }

    /**
     * Sends {@code count} requests at a steady pace on a background thread (the pace is the load under test: the
     * pauses between sends are not waits for anything); counts a latch down once {@code signalAt} are sent.
     */
    private static Sender sendRequests(TestKafka kafka, String topic, int count, Duration over, int signalAt) {
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch reached = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            Blobs blobs = new Blobs(5);
            long pauseNanos = over.toNanos() / count;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                kafka.send(topic, "k-" + i, Blobs.request("q-" + i, blobs.next().features()));
                if (sent.incrementAndGet() == signalAt) {
                    reached.countDown();
                }
                next += pauseNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            kafka.flush();
        }, "request-sender");
        thread.setDaemon(true);   // bounded anyway (6 s); never keeps a failed run's JVM alive
        thread.start();
        return new Sender(thread, sent, reached);
    }

    /** The requests still being sent after the service was SIGKILLed (at {@code killedAtNanos}). */
    private record Killed(Sender sender, int sentAtKill, long killedAtNanos) {
    }

    /**
     * Starts the service, streams {@code count} requests to {@code <name>.predict} over 6 s and kills the service
     * when a number of them drawn from the seed (a fifth to a half) are sent. The caller restarts it.
     */
    private static Killed killMidStream(TestKafka kafka, Map<String, String> config, String name, int count,
                                        Path log, KillSeed seed) throws Exception {
        int killAt = seed.between(count / 5, count / 2);
        System.out.printf("PredictionFailuresIT (%s): SIGKILL after %d of %d requests (%s)%n", name, killAt, count,
                seed);
        try (ServiceProcess service = ServiceProcess.start(config, log)) {
            Sender sender = sendRequests(kafka, name + ".predict", count, Duration.ofSeconds(6), killAt);
            sender.awaitSignal();
            service.kill();
            return new Killed(sender, sender.sent().get(), System.nanoTime());
        }
    }

    private static Map<String, Integer> answers(TestKafka kafka, String topic, int expected) throws Exception {
        return answers(kafka, topic, expected, "read_uncommitted", Duration.ofSeconds(120));
    }

    private static Map<String, Integer> answers(TestKafka kafka, String topic, int expected, String isolation,
                                                Duration timeout) throws Exception {
        Map<String, Integer> answered = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> reader = kafka.reader(topic, isolation)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (answered.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    JsonNode answer = JSON.readTree(record.value());
                    answered.merge(answer.get("id").asText(), 1, Integer::sum);
                }
            }
        }
        return answered;
    }

    private static Map<String, Integer> countById(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Integer> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byId.merge(JSON.readTree(record.value()).get("id").asText(), 1, Integer::sum);
        }
        return byId;
    }

    private static Set<String> missing(Map<String, Integer> answered, int count) {
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!answered.containsKey("q-" + i)) {
                missing.add("q-" + i);
            }
        }
        return missing;
    }

    @Test
    void everyRequestIsAnsweredAfterTheServiceIsKilledMidStream(TestInfo info) throws Exception {
        int count = 10_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = config(broker.bootstrapServers(), "crashp");
            KillSeed seed = KillSeed.forTest(info);
            Killed killed = killMidStream(kafka, config, "crashp", count, WORK.resolve("crash.log"), seed);
            try (ServiceProcess running = ServiceProcess.start(config, WORK.resolve("crash.log"))) {
                long restartMillis = (System.nanoTime() - killed.killedAtNanos()) / 1_000_000;
                killed.sender().thread().join();
                Map<String, Integer> answered = answers(kafka, "crashp.predictions", count);
                assertTrue(missing(answered, count).isEmpty(),
                        "unanswered (" + seed + "): " + missing(answered, count));
                long repeated = answered.values().stream().filter(n -> n > 1).count();
                System.out.printf("PredictionFailuresIT (kill -9): %d requests, killed after %d were sent, restarted "
                        + "in %d ms; all answered, %d answered more than once (at-least-once)%n",
                        count, killed.sentAtKill(), restartMillis, repeated);
                running.stop();
            }
        }
    }

    @Test
    void withTransactionsEveryRequestIsAnsweredExactlyOnceAfterAKill(TestInfo info) throws Exception {
        int count = 10_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = config(broker.bootstrapServers(), "eop");
            config.put("mlp.predictions.exactly-once", "true");
            config.put("mlp.predictions.transactional-id", "eop-answers");
            KillSeed seed = KillSeed.forTest(info);
            Killed killed = killMidStream(kafka, config, "eop", count, WORK.resolve("exactly-once.log"), seed);
            try (ServiceProcess running = ServiceProcess.start(config, WORK.resolve("exactly-once.log"))) {
                killed.sender().thread().join();
                Map<String, Integer> answered = answers(kafka, "eop.predictions", count, "read_committed",
                        Duration.ofSeconds(120));
                assertTrue(missing(answered, count).isEmpty(),
                        "unanswered (" + seed + "): " + missing(answered, count));
                // Every request has a committed answer. Stop the service (SIGTERM) so that nothing more can be
                // written, then count over the whole topic, not over what a reader happened to get in some time.
                running.stop();
            }
            // The topic from its beginning to its end offsets (under read_committed the last stable offset: with
            // the service stopped, everything it committed); readToEnd fails unless it read that far.
            List<ConsumerRecord<byte[], byte[]>> committed = kafka.readToEnd("eop.predictions", "read_committed",
                    Duration.ofSeconds(120));
            Map<String, Integer> all = countById(committed);
            Set<String> requests = IntStream.range(0, count).mapToObj(i -> "q-" + i).collect(Collectors.toSet());
            Set<String> unanswered = new TreeSet<>(requests);
            unanswered.removeAll(all.keySet());
            Set<String> unrequested = new TreeSet<>(all.keySet());
            unrequested.removeAll(requests);
            assertTrue(unanswered.isEmpty() && unrequested.isEmpty(), "the answered ids are not the request ids ("
                    + seed + "): unanswered " + unanswered + ", never requested " + unrequested);
            Map<String, Integer> repeatedIds = new TreeMap<>(all);
            repeatedIds.values().removeIf(n -> n == 1);
            assertEquals(count, committed.size(), "answers under read_committed, one per request (" + seed
                    + "); answered more than once: " + repeatedIds);
            assertEquals(0, repeatedIds.size(), "requests answered more than once under read_committed");
            Map<String, Integer> uncommitted = countById(kafka.readToEnd("eop.predictions", "read_uncommitted",
                    Duration.ofSeconds(120)));
            System.out.printf("PredictionFailuresIT (transactions, kill -9 after %d of %d sent): all %d committed "
                    + "answers read, every request answered exactly once under read_committed; a read_uncommitted "
                    + "reader also sees %d answers of aborted transactions%n", killed.sentAtKill(), count,
                    committed.size(), uncommitted.values().stream().filter(n -> n > 1).count());
        }
    }

    /** Prints what transactions cost: requests answered per second with and without them, same backlog. */
    @Test
    void measuresTheCostOfExactlyOnceAnswers() throws Exception {
        int count = 20_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            double[] perSecond = new double[2];
            for (int mode = 0; mode < 2; mode++) {
                String name = mode == 0 ? "costal" : "costeo";
                Blobs blobs = new Blobs(6);
                for (int i = 0; i < count; i++) {
                    kafka.send(name + ".predict", "k-" + i, Blobs.request("q-" + i, blobs.next().features()));
                }
                kafka.flush();
                Map<String, String> config = config(broker.bootstrapServers(), name);
                config.put("mlp.predictions.exactly-once", Boolean.toString(mode == 1));
                config.put("mlp.predictions.transactional-id", name + "-answers");
                try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve(name + ".log"))) {
                    long start = System.nanoTime();
                    Map<String, Integer> answered = answers(kafka, name + ".predictions", count, "read_committed",
                            Duration.ofSeconds(120));
                    perSecond[mode] = count / ((System.nanoTime() - start) / 1e9);
                    assertTrue(missing(answered, count).isEmpty(), "unanswered: " + missing(answered, count).size());
                    service.stop();
                }
            }
            System.out.printf("PredictionFailuresIT (cost): a backlog of %d requests answered at %.0f/s "
                    + "at-least-once and %.0f/s with transactions (%.2fx)%n", count, perSecond[0], perSecond[1],
                    perSecond[0] / perSecond[1]);
        }
    }

    @Test
    void noRequestIsLostWhenABrokerDies(TestInfo info) throws Exception {
        int count = 6_000;
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Settings.threeBrokers());
             TestKafka kafka = new TestKafka(cluster.bootstrapServers())) {
            Map<String, String> config = config(cluster.bootstrapServers(), "brokerp");
            try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve("broker.log"))) {
                Blobs blobs = new Blobs(8);
                for (int i = 0; i < 640; i++) {
                    kafka.send("brokerp.train", null, Blobs.trainingRecord("t-" + i, blobs.next()));
                }
                KillSeed seed = KillSeed.forTest(info);
                int stopAt = seed.between(count / 5, count / 2);
                System.out.printf("PredictionFailuresIT (brokerp): broker 0 stopped after %d of %d requests (%s)%n",
                        stopAt, count, seed);
                Sender sender = sendRequests(kafka, "brokerp.predict", count, Duration.ofSeconds(6), stopAt);
                sender.awaitSignal();
                long stepBefore = JSON.readTree(service.get("/model")).at("/training/step").asLong();
                cluster.stopBroker(0);
                long stopped = System.nanoTime();
                sender.thread().join();
                for (int i = 0; i < 640; i++) {
                    kafka.send("brokerp.train", null, Blobs.trainingRecord("u-" + i, blobs.next()));
                }
                kafka.flush();
                Map<String, Integer> answered = answers(kafka, "brokerp.predictions", count);
                assertTrue(missing(answered, count).isEmpty(),
                        "unanswered (" + seed + "): " + missing(answered, count));
                long recovered = awaitHealthy(service);
                long stepAfter = awaitStepAbove(service, stepBefore);
                System.out.printf("PredictionFailuresIT (broker stopped): %d requests all answered; training went on "
                        + "from step %d to %d; health UP %d ms after the broker stopped%n", count, stepBefore,
                        stepAfter, (recovered - stopped) / 1_000_000);
                assertEquals(2, cluster.bootstrapServers().split(",").length);
                service.stop();
            }
        }
    }

    /** Waits until the service's health is UP; returns when (System.nanoTime) it saw that. */
    private static long awaitHealthy(ServiceProcess service) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    String status;
                    try {
                        status = JSON.readTree(service.management("/q/health")).get("status").asText();
                    } catch (java.io.IOException down) {
                        status = down.getMessage();   // 503 while a check is DOWN
                    }
                    assertEquals("UP", status, "health did not recover; see " + service.log);
                });
        return System.nanoTime();
    }

    private static long awaitStepAbove(ServiceProcess service, long step) {
        AtomicLong now = new AtomicLong();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    now.set(JSON.readTree(service.get("/model")).at("/training/step").asLong());
                    assertTrue(now.get() > step, "training did not go on after the broker stopped; see " + service.log);
                });
        return now.get();
    }
}
