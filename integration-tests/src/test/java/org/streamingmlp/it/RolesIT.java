package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * One trainer and two predictors as separate processes against a real broker: the predictors serve the trainer's
 * newest version from the model topic, share the request topic, lose no request when one of them is SIGKILLed, a
 * restarted predictor is ready with the newest model without training, a second trainer of the model refuses to
 * train (it stands by), and takes over when the active one is SIGKILLed, with the predictors following it.
 */
class RolesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How soon after the trainer publishes a version both predictors must serve it (the interval is 500 ms). */
    private static final Duration PROPAGATION = Duration.ofSeconds(15);

    @Test
    void oneTrainerManyPredictors() throws Exception {
        Path work = Path.of("target", "roles-it");
        ServiceProcess.deleteRecursively(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Blobs blobs = new Blobs(11);
            try (ServiceProcess trainer = ServiceProcess.start(role("trainer", "t1", broker, work), log(work, "trainer"));
                 ServiceProcess p1 = ServiceProcess.start(role("predictor", "p1", broker, work), log(work, "p1"));
                 ServiceProcess p2 = ServiceProcess.start(role("predictor", "p2", broker, work), log(work, "p2"))) {
                for (int i = 0; i < 1600; i++) {
                    kafka.send("mlp.train", null, Blobs.trainingRecord("t-" + i, blobs.next()));
                }
                kafka.flush();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                        model(trainer).at("/training/examplesSeen").asLong() >= 1600);
                long newest = model(trainer).get("modelVersion").asLong();
                long trained = System.nanoTime();
                for (ServiceProcess predictor : List.of(p1, p2)) {
                    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                            assertEquals(newest, model(predictor).get("modelVersion").asLong(),
                                    "a predictor did not reach the trainer's version; see " + predictor.log));
                }
                System.out.printf("RolesIT: both predictors served version %d %d ms after the trainer's last step%n",
                        newest, (System.nanoTime() - trained) / 1_000_000);
                JsonNode predictorView = model(p1);
                assertEquals("predictor", predictorView.get("role").asText());
                assertTrue(predictorView.get("training").isNull(), "a predictor reports no training");
                assertTrue(predictorView.get("snapshotAgeSeconds").asDouble() >= 0);

                // Requests over both partitions: both predictors answer, every answer from the newest version.
                Set<String> answered = requestAndAwaitAll(kafka, "a-", 400, blobs, null);
                assertEquals(400, answered.size());
                assertTrue(predictionsCounted(p1) > 0 && predictionsCounted(p2) > 0,
                        "both predictors must answer requests: p1 " + predictionsCounted(p1) + ", p2 "
                                + predictionsCounted(p2));

                // SIGKILL one predictor in the middle of a stream of requests: every request is still answered.
                Set<String> afterKill = requestAndAwaitAll(kafka, "k-", 600, blobs, p1);
                assertEquals(600, afterKill.size());

                // A restarted predictor is ready with the newest model, from the topic: it trains nothing.
                try (ServiceProcess restarted = ServiceProcess.start(role("predictor", "p1", broker, work),
                        log(work, "p1-restarted"))) {
                    JsonNode view = model(restarted);
                    assertEquals(newest, view.get("modelVersion").asLong(),
                            "ready only with the newest snapshot");
                    assertTrue(view.get("training").isNull());
                    assertEquals(newest, model(trainer).get("modelVersion").asLong(), "nothing was retrained");
                    restarted.stop();
                }

                // A second trainer of the same model stands by: it owns no training partition and learns nothing,
                // while the first one goes on training.
                try (ServiceProcess second = ServiceProcess.startLive(role("trainer", "t2", broker, work),
                        log(work, "trainer-2"))) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                            Files.readString(second.log).contains("Standing by"));
                    for (int i = 0; i < 320; i++) {
                        kafka.send("mlp.train", null, Blobs.trainingRecord("u-" + i, blobs.next()));
                    }
                    kafka.flush();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                            model(trainer).at("/training/examplesSeen").asLong() >= 1920);
                    assertEquals(0, model(second).at("/training/examplesSeen").asLong(), "the standby trained");
                    assertEquals(503, second.status("/q/health/ready"), "a standby trainer is not ready");
                    assertTrue(Files.readString(second.log).contains("another trainer of this model"));

                    // SIGKILL the active trainer: the standby takes over (from its own, empty checkpoint directory:
                    // it learns the topic from the beginning), and the predictor follows its new lineage of versions.
                    trainer.kill();
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                            model(second).at("/training/examplesSeen").asLong() >= 1920);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                            second.status("/q/health/ready") == 200);
                    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                            assertEquals(model(second).get("modelVersion").asLong(),
                                    model(p2).get("modelVersion").asLong(),
                                    "the predictor did not follow the new trainer; see " + p2.log));
                    assertTrue(Files.readString(p2.log).contains("took over model"));
                    second.stop();
                }
                p2.stop();
            }
        }
    }

    /**
     * Sends {@code count} requests with distinct keys and waits until every one is answered; with {@code victim},
     * SIGKILLs it after the first third was sent.
     */
    private static Set<String> requestAndAwaitAll(TestKafka kafka, String prefix, int count, Blobs blobs,
                                                  ServiceProcess victim) throws Exception {
        Set<String> answered = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> answers = kafka.reader("mlp.predictions")) {
            for (int i = 0; i < count; i++) {
                kafka.send("mlp.predict", prefix + "key-" + i, Blobs.request(prefix + i, blobs.next().features()));
                if (victim != null && i == count / 3) {
                    kafka.flush();
                    victim.kill();
                }
            }
            kafka.flush();
            TestKafka.readUntil(answers, records -> {
                records.forEach(r -> answered.add(id(r)));
                records.clear();   // each poll's records are counted once
                return answered.stream().filter(id -> id.startsWith(prefix)).count() >= count;
            }, Duration.ofSeconds(120));
        }
        answered.removeIf(id -> !id.startsWith(prefix));
        return answered;
    }

    private static String id(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value()).get("id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("an answer that is not JSON: " + TestKafka.text(record.value()), e);
        }
    }

    private static double predictionsCounted(ServiceProcess predictor) throws Exception {
        return predictor.get("/q/metrics").lines().filter(l -> l.startsWith("mlp_predictions_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static JsonNode model(ServiceProcess service) throws Exception {
        return JSON.readTree(service.get("/model"));
    }

    private static Map<String, String> role(String role, String instance, EmbeddedKafkaBroker broker, Path work) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("mlp.role", role);
        config.put("mlp.instance-id", instance);
        config.put("mlp.topics.partitions", "2");
        config.put("mlp.distribution.publish-interval", "500ms");
        if (!role.equals("predictor")) {
            config.put("mlp.checkpoint.dir", work.resolve(instance + "-checkpoints").toAbsolutePath().toString());
        }
        ServiceProcess.rejoinQuickly(config);
        return config;
    }

    private static Path log(Path work, String name) {
        return work.resolve(name + ".log");
    }
}
