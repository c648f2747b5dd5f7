package org.streamingmlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;
import org.streamingmlp.broker.EmbeddedKafkaCluster;

/**
 * No prediction request is lost when the service process or a broker dies. The service runs as its own JVM
 * (SIGKILL is a real crash); the brokers are real Kafka brokers in the test JVM.
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

    /** Sends {@code count} requests at a steady pace on a background thread; returns their ids. */
    private static Thread sendRequests(TestKafka kafka, String topic, int count, Duration over, AtomicInteger sent) {
        Thread sender = new Thread(() -> {
            Blobs blobs = new Blobs(5);
            long pauseNanos = over.toNanos() / count;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                kafka.send(topic, "k-" + i, Blobs.request("q-" + i, blobs.next().features()));
                sent.incrementAndGet();
                next += pauseNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            kafka.flush();
        }, "request-sender");
        sender.start();
        return sender;
    }

    /** The service restarted after a SIGKILL that came when a third of the requests had been sent. */
    private record Restarted(ServiceProcess service, int sentAtKill, long restartMillis) {
    }

    /**
     * Starts the service, streams {@code count} requests to {@code <name>.predict} over 6 s, kills the service
     * when a third are sent, restarts it and waits until every request has been sent.
     */
    private static Restarted killMidStream(TestKafka kafka, Map<String, String> config, String name, int count,
                                           Path log) throws Exception {
        ServiceProcess service = ServiceProcess.start(config, log);
        AtomicInteger sent = new AtomicInteger();
        Thread sender = sendRequests(kafka, name + ".predict", count, Duration.ofSeconds(6), sent);
        while (sent.get() < count / 3) {
            Thread.sleep(10);
        }
        service.kill();
        int atKill = sent.get();
        long restart = System.nanoTime();
        ServiceProcess restarted = ServiceProcess.start(config, log);
        long restartMillis = (System.nanoTime() - restart) / 1_000_000;
        sender.join();
        return new Restarted(restarted, atKill, restartMillis);
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
    void everyRequestIsAnsweredAfterTheServiceIsKilledMidStream() throws Exception {
        int count = 10_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = config(broker.bootstrapServers(), "crashp");
            Restarted restarted = killMidStream(kafka, config, "crashp", count, WORK.resolve("crash.log"));
            try (ServiceProcess running = restarted.service()) {
                Map<String, Integer> answered = answers(kafka, "crashp.predictions", count);
                assertTrue(missing(answered, count).isEmpty(), "unanswered: " + missing(answered, count));
                long repeated = answered.values().stream().filter(n -> n > 1).count();
                System.out.printf("PredictionFailuresIT (kill -9): %d requests, killed after %d were sent, restarted "
                        + "in %d ms; all answered, %d answered more than once (at-least-once)%n",
                        count, restarted.sentAtKill(), restarted.restartMillis(), repeated);
                running.stop();
            }
        }
    }

    @Test
    void withTransactionsEveryRequestIsAnsweredExactlyOnceAfterAKill() throws Exception {
        int count = 10_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = config(broker.bootstrapServers(), "eop");
            config.put("mlp.predictions.exactly-once", "true");
            config.put("mlp.predictions.transactional-id", "eop-answers");
            Restarted restarted = killMidStream(kafka, config, "eop", count, WORK.resolve("exactly-once.log"));
            try (ServiceProcess running = restarted.service()) {
                Map<String, Integer> answered = answers(kafka, "eop.predictions", count, "read_committed",
                        Duration.ofSeconds(120));
                assertTrue(missing(answered, count).isEmpty(), "unanswered: " + missing(answered, count));
                // Read on a little: a duplicate would come after the last first answer.
                Map<String, Integer> all = answers(kafka, "eop.predictions", count + 1, "read_committed",
                        Duration.ofSeconds(3));
                long repeated = all.values().stream().filter(n -> n > 1).count();
                assertEquals(0, repeated, "requests answered more than once under read_committed");
                Map<String, Integer> uncommitted = answers(kafka, "eop.predictions", count + 1, "read_uncommitted",
                        Duration.ofSeconds(3));
                System.out.printf("PredictionFailuresIT (transactions, kill -9 after %d of %d sent): every request "
                        + "answered exactly once under read_committed; a read_uncommitted reader also sees %d "
                        + "answers of aborted transactions%n", restarted.sentAtKill(), count,
                        uncommitted.values().stream().filter(n -> n > 1).count());
                running.stop();
            }
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
    void noRequestIsLostWhenABrokerDies() throws Exception {
        int count = 6_000;
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Settings.threeBrokers());
             TestKafka kafka = new TestKafka(cluster.bootstrapServers())) {
            Map<String, String> config = config(cluster.bootstrapServers(), "brokerp");
            try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve("broker.log"))) {
                Blobs blobs = new Blobs(8);
                for (int i = 0; i < 640; i++) {
                    kafka.send("brokerp.train", null, Blobs.trainingRecord("t-" + i, blobs.next()));
                }
                AtomicInteger sent = new AtomicInteger();
                Thread sender = sendRequests(kafka, "brokerp.predict", count, Duration.ofSeconds(6), sent);
                while (sent.get() < count / 3) {
                    Thread.sleep(10);
                }
                long stepBefore = JSON.readTree(service.get("/model")).at("/training/step").asLong();
                cluster.stopBroker(0);
                long stopped = System.nanoTime();
                sender.join();
                for (int i = 0; i < 640; i++) {
                    kafka.send("brokerp.train", null, Blobs.trainingRecord("u-" + i, blobs.next()));
                }
                kafka.flush();
                Map<String, Integer> answered = answers(kafka, "brokerp.predictions", count);
                assertTrue(missing(answered, count).isEmpty(), "unanswered: " + missing(answered, count));
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

    private static long awaitHealthy(ServiceProcess service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (JSON.readTree(service.get("/q/health")).get("status").asText().equals("UP")) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException down) {
                // 503 while a check is DOWN
            }
            Thread.sleep(100);
        }
        throw new AssertionError("health did not recover; see " + service.log);
    }

    private static long awaitStepAbove(ServiceProcess service, long step) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long now = JSON.readTree(service.get("/model")).at("/training/step").asLong();
            if (now > step) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("training did not go on after the broker stopped; see " + service.log);
    }
}
